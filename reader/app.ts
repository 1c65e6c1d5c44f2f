// The reading API as a hono app: GET /v1/events (and seed 002's GET /events), a route per report in the registry
// (reports/mod.ts), health, with read keys when configured — every answer JSON, every bad parameter a 400 naming
// it — and the web console under /console. Reads go to ClickHouse only through typed query parameters; a server
// without them (18.16) answers 501 saying so. What cannot be answered is a ReaderError, made an answer in onError.
import { Hono, type Context } from 'hono';
import type { Catalog } from '../shared/mod.ts';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import { consoleRoutes, type ConsoleOptions } from './console/mod.ts';
import { answerOf, ReaderError } from './errors/mod.ts';
import { listEvents } from './events.ts';
import { readerOpenApi } from './openapi.ts';
import { EventsQuery, paramsOf } from './params.ts';
import { reportPath, reports } from './reports/mod.ts';

interface ReaderOptions {
  clickhouse: ClickHouse;
  catalog: () => Catalog;
  /** Keys that may read; empty: reading is open (loopback by default). */
  readKeys: readonly string[];
  /** The collector's write keys: refused for reading, with a 403 that says so. */
  writeKeys: readonly string[];
  /** The web console under /console (its session also reads /v1/*); without it, no console. */
  console?: Omit<ConsoleOptions, 'catalog' | 'readerDocument'>;
}

/** The key a request carries: `Authorization: Bearer <key>` or `X-Read-Key`. */
const keyOf = (c: Context) =>
  c.req.header('x-read-key') ?? /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];

export function readerApp(opts: ReaderOptions): Hono {
  // Not strict: /console and /console/ are the same page.
  const app = new Hono({ strict: false });
  const readKeys = new Set(opts.readKeys);
  const writeKeys = new Set(opts.writeKeys);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  // Ready when ClickHouse answers: every read needs it (the console's NATS parts say themselves when NATS is away).
  app.get('/readyz', async (c) => {
    const ok = await opts.clickhouse.client.ping().then(
      (r) => r.success,
      () => false,
    );
    return c.json({ clickhouse: ok }, ok ? 200 : 503);
  });
  const document = readerOpenApi();
  app.get('/openapi.json', (c) => c.json(document));
  if (opts.console) {
    app.route('/console', consoleRoutes({ ...opts.console, catalog: opts.catalog, readerDocument: document }));
    app.get('/', (c) => c.redirect('/console/'));
  }
  app.use('/v1/*', async (c, next) => {
    if (readKeys.size === 0 || opts.console?.access.sessionOf(c)) return next();
    const key = keyOf(c);
    if (key !== undefined && readKeys.has(key)) return next();
    if (key !== undefined && writeKeys.has(key))
      throw new ReaderError('forbidden', 'a write key cannot read; use a read key (READ_KEYS)');
    throw new ReaderError('unauthenticated', key === undefined ? 'a read key is required' : 'unknown read key', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  });
  /** Every read takes typed query parameters: a server without them (18.16) cannot answer one safely. */
  const readable = () => {
    if (opts.clickhouse.queryParameters) return;
    const reason =
      `ClickHouse ${opts.clickhouse.version} has no query parameters (19.11+), ` +
      'and no client value is ever spliced into SQL';
    throw new ReaderError('not-supported', 'not available on this ClickHouse', { reason });
  };
  const events = async (c: Context) => {
    readable();
    const q = paramsOf(EventsQuery, c.req.query());
    return c.json(await listEvents(opts.clickhouse, opts.catalog(), q));
  };
  app.get('/v1/events', events);
  for (const report of reports) {
    app.get(reportPath(report), async (c) => {
      readable();
      const q = paramsOf(report.params, c.req.query());
      return c.json({ rows: await report.run(opts.clickhouse, opts.catalog(), q) });
    });
  }
  app.get('/events', events);
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  // The one place an error becomes an answer: a ReaderError says its status and body; anything else is a bug.
  app.onError((err, c) => {
    if (err instanceof ReaderError) {
      const { status, body, headers } = answerOf(err);
      return c.json(body, status, headers);
    }
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
