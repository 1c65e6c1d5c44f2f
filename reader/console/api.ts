// The console's routes, under /console: the page and its assets, the API docs, and /console/api/* — sign-in, the
// overview, the live tail, dead letters (list, redrive), the catalog and a test event sent to the collector. Every
// answer JSON; a bad body is a 400 naming the field. Wire: HTTP (hono); NATS for the tail and dead letters; HTTP to
// the collectors and sinks for metrics and test events.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import {
  EVENTS_ROUTE,
  exampleEvent,
  openApiDocument,
  typedEventsRoute,
  typeKeyOf,
  type Catalog,
  type Source,
} from '../../shared/mod.ts';
import { readLetters, redrive, redriveSelected, type NatsConnection } from '../../streams/mod.ts';
import type { ConsoleAccess } from './access.ts';
import { assetOf, docsPage, PAGE } from './assets.ts';
import type { OverviewSampler } from './overview.ts';
import { tail } from './tail.ts';

export interface ConsoleOptions {
  access: ConsoleAccess;
  sampler: OverviewSampler;
  nats: () => NatsConnection | undefined;
  catalog: () => Catalog;
  /** The collector test events go to, and the write-key sources it knows (the console sends with one). */
  collector: string;
  sources: readonly Source[];
  /** The reading API's own OpenAPI document. */
  readerDocument: unknown;
}

const SignIn = v.object({ secret: v.pipe(v.string(), v.minLength(1, 'give the console token or a read key')) });
const Redrive = v.union(
  [
    v.strictObject({ seqs: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.minLength(1)) }),
    v.strictObject({ type: v.pipe(v.string(), v.minLength(1)) }),
  ],
  'give either seqs (sequence numbers) or a type',
);
const TestEvent = v.object({ type: v.string(), payload: v.unknown() });

const invalid = (c: Context, issues: v.BaseIssue<unknown>[]) =>
  c.json(
    {
      error: 'invalid body',
      issues: issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })),
    },
    400,
  );

export function consoleRoutes(opts: ConsoleOptions): Hono {
  const app = new Hono();
  const { access } = opts;
  app.get('/', (c) => c.html(PAGE));
  app.get('/docs', (c) => c.html(docsPage()));
  app.get('/assets/:name', async (c) => {
    const asset = await assetOf(c.req.param('name'));
    if (!asset) return c.json({ error: 'no such asset' }, 404);
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': asset.type,
      'cache-control': 'no-cache',
    });
  });
  app.get('/api/session', (c) => {
    const session = access.sessionOf(c);
    return c.json({
      signed_in: Boolean(session),
      open: access.open,
      can_sign_in: access.canSignIn,
      can_redrive: session?.canRedrive ?? false,
    });
  });
  app.post('/api/sign-in', async (c) => {
    const body = v.safeParse(SignIn, await c.req.json().catch(() => undefined));
    if (!body.success) return invalid(c, body.issues);
    const session = access.signIn(c, body.output.secret);
    if (!session) return c.json({ error: 'neither the console token nor a read key' }, 401);
    return c.json({ signed_in: true, can_redrive: session.canRedrive });
  });
  app.use('/api/*', async (c, next) => {
    if (access.sessionOf(c)) return next();
    const reason = access.canSignIn
      ? 'sign in with the console token or a read key'
      : 'this console is not on loopback: set CONSOLE_TOKEN (or READ_KEYS) to sign in';
    return c.json({ error: reason }, 401);
  });
  const noNats = (c: Context) => c.json({ error: 'this reader has no NATS connection (NATS_URL)' }, 503);

  app.get('/api/overview', async (c) => c.json(await opts.sampler.overview()));
  app.get('/api/tail', (c) => {
    const nc = opts.nats();
    if (!nc) return noNats(c);
    const type = c.req.query('type') || undefined;
    const key = type === undefined ? undefined : opts.catalog().find(type)?.key;
    if (type !== undefined && !key) return c.json({ error: `no event type ${JSON.stringify(type)}` }, 400);
    return tail(c, nc, key);
  });
  app.get('/api/dead-letters', async (c) => {
    const nc = opts.nats();
    if (!nc) return noNats(c);
    const type = c.req.query('type') || undefined;
    const limit = Math.min(Number(c.req.query('limit')) || 100, 1000);
    const letters = [];
    let total = 0;
    for await (const l of readLetters(nc, { type })) {
      total++;
      if (letters.length >= limit) continue;
      letters.push({
        seq: l.seq,
        type: typeKeyOf(l.subject),
        time: l.time.toISOString(),
        reason: l.reason,
        code: l.code ?? null,
        deliveries: l.deliveries,
        by: l.by,
        original_subject: l.originalSubject,
        first_failure: l.firstFailure,
        payload: new TextDecoder().decode(l.data),
      });
    }
    return c.json({ letters, total });
  });
  app.post('/api/dead-letters/redrive', async (c) => {
    if (!access.sessionOf(c)?.canRedrive)
      return c.json({ error: 'redriving needs a session signed in with the console token' }, 403);
    const nc = opts.nats();
    if (!nc) return noNats(c);
    const body = v.safeParse(Redrive, await c.req.json().catch(() => undefined));
    if (!body.success) return invalid(c, body.issues);
    const redriven =
      'seqs' in body.output
        ? await redriveSelected(nc, body.output.seqs)
        : await redrive(nc, { type: body.output.type });
    return c.json({ redriven });
  });
  app.get('/api/catalog', (c) => {
    const catalog = opts.catalog();
    return c.json({
      version: catalog.version,
      types: catalog.types.map((t) => ({
        name: t.name,
        key: t.key,
        table: t.table,
        description: t.description,
        role: t.role ?? null,
        route: t.role === 'fallback' ? EVENTS_ROUTE : typedEventsRoute(t.name),
        unknown_fields: t.unknownFields,
        fields: t.spec.fields,
        example: exampleEvent(t),
      })),
    });
  });
  app.post('/api/test-event', async (c) => {
    const body = v.safeParse(TestEvent, await c.req.json().catch(() => undefined));
    if (!body.success) return invalid(c, body.issues);
    const type = opts.catalog().find(body.output.type);
    if (!type) {
      const message = `no event type ${JSON.stringify(body.output.type)} in the catalog`;
      return c.json({ error: 'invalid body', issues: [{ path: 'type', message }] }, 400);
    }
    const route = type.role === 'fallback' ? EVENTS_ROUTE : typedEventsRoute(type.name);
    const source = opts.sources.find((s) => !s.types || s.types.some((t) => t === type.name || t === type.key));
    const res = await fetch(`${opts.collector}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(source ? { 'x-write-key': source.key } : {}) },
      body: JSON.stringify(body.output.payload),
      signal: AbortSignal.timeout(5000),
    }).catch((err: Error) => err);
    if (res instanceof Error) return c.json({ error: `the collector at ${opts.collector} did not answer` }, 502);
    const text = await res.text();
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {
      // Not JSON: shown as the text it is.
    }
    return c.json({ status: res.status, route, body: answer });
  });
  app.get('/api/openapi/collector.json', (c) => c.json(openApiDocument(opts.catalog())));
  app.get('/api/openapi/reader.json', (c) => c.json(opts.readerDocument as object));
  return app;
}
