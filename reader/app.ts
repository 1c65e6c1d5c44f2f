// The reading API as a hono app: GET /v1/events (and seed 002's GET /events), the reports, health, with read keys
// when configured — every answer JSON, every bad parameter a 400 naming it — and the web console under /console.
// Reads go to ClickHouse only through typed query parameters; a server without them (18.16) answers 501 saying so.
import { Hono, type Context } from 'hono';
import type { Catalog } from '../shared/mod.ts';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import { listEvents, UnknownType } from './events.ts';
import type { InferOutput } from 'valibot';
import { readerOpenApi } from './openapi.ts';
import { EventsQuery, FunnelQuery, parseQuery, RangeQuery, SessionsQuery, TypeRangeQuery } from './params.ts';
import { activity } from './activity.ts';
import { consoleRoutes, type ConsoleOptions } from './console/mod.ts';
import { daily, lag, ReportUnavailable, sessions, solveRatio, taskFunnel, UnknownReportType } from './reports.ts';

export interface ReaderOptions {
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
      return c.json({ error: 'a write key cannot read; use a read key (READ_KEYS)' }, 403);
    return c.json({ error: key === undefined ? 'a read key is required' : 'unknown read key' }, 401, {
      'www-authenticate': 'Bearer',
    });
  });
  /** 501 where the server cannot take typed query parameters, else undefined. */
  const unavailable = (c: Context) => {
    if (opts.clickhouse.queryParameters) return undefined;
    const reason =
      `ClickHouse ${opts.clickhouse.version} has no query parameters (19.11+), ` +
      'and no client value is ever spliced into SQL';
    return c.json({ error: 'not available on this ClickHouse', reason }, 501);
  };
  const events = async (c: Context) => {
    const refused = unavailable(c);
    if (refused) return refused;
    const parsed = parseQuery(EventsQuery, c.req.query());
    if (!parsed.ok) return c.json({ error: 'invalid parameters', issues: parsed.issues }, 400);
    try {
      return c.json(await listEvents(opts.clickhouse, opts.catalog(), parsed.value));
    } catch (err) {
      if (err instanceof UnknownType)
        return c.json({ error: 'invalid parameters', issues: [{ path: 'type', message: err.message }] }, 400);
      throw err;
    }
  };
  app.get('/v1/events', events);
  const report =
    <S extends typeof RangeQuery | typeof TypeRangeQuery | typeof FunnelQuery | typeof SessionsQuery>(
      schema: S,
      run: (q: InferOutput<S>) => Promise<unknown[]>,
    ) =>
    async (c: Context) => {
      const refused = unavailable(c);
      if (refused) return refused;
      const parsed = parseQuery(schema, c.req.query());
      if (!parsed.ok) return c.json({ error: 'invalid parameters', issues: parsed.issues }, 400);
      try {
        return c.json({ rows: await run(parsed.value) });
      } catch (err) {
        if (err instanceof ReportUnavailable) return c.json({ error: 'report unavailable', reason: err.message }, 501);
        if (err instanceof UnknownReportType) {
          return c.json({ error: 'invalid parameters', issues: [{ path: 'type', message: err.message }] }, 400);
        }
        throw err;
      }
    };
  app.get(
    '/v1/reports/activity',
    report(RangeQuery, (q) => activity(opts.clickhouse, opts.catalog(), q)),
  );
  app.get(
    '/v1/reports/lag',
    report(RangeQuery, (q) => lag(opts.clickhouse, opts.catalog(), q)),
  );
  app.get(
    '/v1/reports/daily',
    report(TypeRangeQuery, (q) => daily(opts.clickhouse, opts.catalog(), q)),
  );
  app.get(
    '/v1/reports/solve-ratio',
    report(RangeQuery, (q) => solveRatio(opts.clickhouse, opts.catalog(), q)),
  );
  app.get(
    '/v1/reports/sessions',
    report(SessionsQuery, (q) => sessions(opts.clickhouse, opts.catalog(), q)),
  );
  app.get(
    '/v1/reports/task-funnel',
    report(FunnelQuery, (q) => taskFunnel(opts.clickhouse, opts.catalog(), q)),
  );
  app.get('/events', events);
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
