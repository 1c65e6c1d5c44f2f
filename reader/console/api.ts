// The console's routes, under /console: the page and its assets, the API docs, and /console/api/* — sign-in, the
// overview, the live tail, dead letters, the catalog, and the writes (redrive, a test event: writes.ts). Every answer
// JSON; what cannot be answered is a ReaderError (a bad body is a 400 naming the field), which the reader's app turns
// into the answer. Wire: HTTP (hono); NATS for the tail and dead letters; HTTP to the collectors, sinks and archivers
// for metrics.
import { Hono } from 'hono';
import * as v from 'valibot';
import { EVENTS_ROUTE, typedEventsRoute, typeKeyOf } from '../../shared/mod.ts';
import { exampleEvent, openApiDocument } from '../../shared/docs/mod.ts';
import { readLetters } from '../../streams/mod.ts';
import { ReaderError } from '../errors/mod.ts';
import { assetOf, docsPage, PAGE } from './assets.ts';
import { bodyOf, natsOf } from './inputs.ts';
import type { OverviewSampler } from './overview.ts';
import { tail } from './tail.ts';
import { consoleWrites, type WriteOptions } from './writes.ts';

export interface ConsoleOptions extends WriteOptions {
  sampler: OverviewSampler;
  /** The reading API's own OpenAPI document (the reports page lists the reports from it). */
  readerDocument: unknown;
}

const SignIn = v.object({ secret: v.pipe(v.string(), v.minLength(1, 'give the console token or a read key')) });

export function consoleRoutes(opts: ConsoleOptions): Hono {
  const app = new Hono();
  const { access } = opts;
  app.get('/', (c) => c.html(PAGE));
  app.get('/docs', (c) => c.html(docsPage()));
  app.get('/assets/:name', async (c) => {
    const asset = await assetOf(c.req.param('name'));
    if (!asset) throw new ReaderError('not-found', 'no such asset');
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
    const { secret } = await bodyOf(c, SignIn);
    const session = access.signIn(c, secret);
    if (!session) throw new ReaderError('unauthenticated', 'neither the console token nor a read key');
    return c.json({ signed_in: true, can_redrive: session.canRedrive });
  });
  app.use('/api/*', async (c, next) => {
    if (access.sessionOf(c)) return next();
    const reason = access.canSignIn
      ? 'sign in with the console token or a read key'
      : 'this console is not on loopback: set CONSOLE_TOKEN (or READ_KEYS) to sign in';
    throw new ReaderError('unauthenticated', reason);
  });

  app.get('/api/overview', async (c) => c.json(await opts.sampler.overview()));
  app.get('/api/tail', (c) => {
    const nc = natsOf(opts.nats);
    const type = c.req.query('type') || undefined;
    const key = type === undefined ? undefined : opts.catalog().find(type)?.key;
    if (type !== undefined && !key) throw new ReaderError('invalid', `no event type ${JSON.stringify(type)}`);
    return tail(c, nc, key);
  });
  app.get('/api/dead-letters', async (c) => {
    const nc = natsOf(opts.nats);
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
  app.route('/api', consoleWrites(opts));
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
  app.get('/api/openapi/collector.json', (c) => c.json(openApiDocument(opts.catalog())));
  app.get('/api/openapi/reader.json', (c) => c.json(opts.readerDocument as object));
  return app;
}
