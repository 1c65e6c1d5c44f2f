// The reading API as a hono app: GET /v1/events (and seed 002's GET /events), a route per report in the registry
// (reports/mod.ts), erasure requests (privacy.ts, admin keys only), health, and the web console under /console —
// every answer JSON, every bad parameter a 400 naming it. Every route is behind the one guard (access/guard.ts:
// credentials unless on its list of public routes, the Host, Origin and body checks, security headers). Reads go to
// ClickHouse only through typed query parameters, each bounded (select.ts), at most `limits.queries` requests at once
// (429 past it); a server without query parameters (18.16) answers 501 saying so. What cannot be answered is a
// ReaderError, made an answer in onError.
import { Hono, type Context } from 'hono';
import type { Catalog } from '../shared/mod.ts';
import type { PrivacyRegister } from '../streams/mod.ts';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import { bodiesUpTo, BODY_LIMIT_BYTES, Gate, guard, ReaderAccess, securityHeaders } from './access/mod.ts';
import { consoleRoutes, type ConsoleOptions } from './console/mod.ts';
import { answerOf, ReaderError } from './errors/mod.ts';
import { listEvents } from './events.ts';
import { readerOpenApi } from './openapi.ts';
import { EventsQuery, paramsOf } from './params.ts';
import { privacyRoutes } from './privacy.ts';
import { reportPath, reports } from './reports/mod.ts';
import { DEFAULT_READ_LIMITS, limitReads, type ReadLimits } from './select.ts';

interface ReaderOptions {
  clickhouse: ClickHouse;
  catalog: () => Catalog;
  /** Keys that may read; empty: reading is open to local requests on loopback only. */
  readKeys: readonly string[];
  /** The collector's write keys: refused for reading, with a 403 that says so. */
  writeKeys: readonly string[];
  /** CONSOLE_TOKEN: signs in to the console, and only its sessions write. */
  token?: string;
  /** READER_HOST (default loopback): on loopback, local requests are trusted and other Host names refused. */
  host?: string;
  /** Work at once per process, and each read's limits; defaults as the settings'. */
  limits?: { queries?: number; tails?: number; read?: ReadLimits };
  /** ADMIN_KEYS: they make and follow erasure requests; none: /v1/privacy/* is shut. */
  adminKeys?: readonly string[];
  /** The privacy register erasure requests go to (opened from the reader's NATS connection); none: 503. */
  privacy?: () => Promise<PrivacyRegister> | undefined;
  /** The web console under /console (its session also reads /v1/*); without it, no console. */
  console?: Omit<ConsoleOptions, 'catalog' | 'readerDocument' | 'access' | 'tails'>;
}

export function readerApp(opts: ReaderOptions): Hono {
  // Not strict: /console and /console/ are the same page.
  const app = new Hono({ strict: false });
  const access = new ReaderAccess({
    readKeys: opts.readKeys,
    writeKeys: opts.writeKeys,
    token: opts.token,
    adminKeys: opts.adminKeys,
    host: opts.host ?? '127.0.0.1',
  });
  limitReads(opts.clickhouse, opts.limits?.read ?? DEFAULT_READ_LIMITS);
  const queries = new Gate(opts.limits?.queries ?? 8);
  // First: every answer gets the security headers, and nothing is reached before the guard allows it.
  app.use('*', securityHeaders, guard(access), bodiesUpTo(BODY_LIMIT_BYTES));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  // Ready when ClickHouse answers: every read needs it (the console's NATS parts say themselves when NATS is away).
  app.get('/readyz', async (c) => {
    const ok = await opts.clickhouse.answers();
    return c.json({ clickhouse: ok }, ok ? 200 : 503);
  });
  const document = readerOpenApi();
  app.get('/openapi.json', (c) => c.json(document));
  if (opts.console) {
    const tails = new Gate(opts.limits?.tails ?? 16);
    app.route(
      '/console',
      consoleRoutes({ ...opts.console, access, tails, catalog: opts.catalog, readerDocument: document }),
    );
    app.get('/', (c) => c.redirect('/console/'));
  }
  /** Every read takes typed query parameters: a server without them (18.16) cannot answer one safely. */
  const readable = () => {
    if (opts.clickhouse.queryParameters) return;
    const reason =
      `ClickHouse ${opts.clickhouse.version} has no query parameters (19.11+), ` +
      'and no client value is ever spliced into SQL';
    throw new ReaderError('not-supported', 'not available on this ClickHouse', { reason });
  };
  /** A read holds one of the process's query slots while it runs; none free: 429. */
  const bounded = (read: (c: Context) => Promise<Response>) => async (c: Context) => {
    readable();
    const release = queries.enter();
    if (!release)
      throw new ReaderError('busy', `this reader is running ${queries.limit} queries; try again shortly`, {
        headers: { 'retry-after': '1' },
      });
    try {
      return await read(c);
    } finally {
      release();
    }
  };
  const events = bounded(async (c) => {
    const q = paramsOf(EventsQuery, c.req.query());
    return c.json(await listEvents(opts.clickhouse, opts.catalog(), q));
  });
  app.get('/v1/events', events);
  for (const report of reports) {
    app.get(
      reportPath(report),
      bounded(async (c) => {
        const q = paramsOf(report.params, c.req.query());
        return c.json({ rows: await report.run(opts.clickhouse, opts.catalog(), q) });
      }),
    );
  }
  app.get('/events', events);
  privacyRoutes(app, opts.privacy ?? (() => undefined));
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
