// The console's routes, under /console: the page and its assets, the API docs, and /console/api/* — sign-in and
// sign-out, the overview, the live tail (at most `tails` at once), dead letters (a page at a time), the catalog, and
// the writes (redrive, a test event: writes.ts). Who may reach each is decided before, by the reader's guard
// (reader/access). Every answer JSON; what cannot be answered is a ReaderError (a bad body is a 400 naming the field),
// which the reader's app turns into the answer. Wire: HTTP (hono); NATS for the tail and dead letters; HTTP to the
// collectors, sinks and archivers for metrics.
import { Hono } from 'hono';
import * as v from 'valibot';
import { EVENTS_ROUTE, privacyOf, typedEventsRoute, typeKeyOf } from '../../shared/mod.ts';
import { exampleEvent, openApiDocument } from '../../shared/docs/mod.ts';
import { readLetters } from '../../streams/mod.ts';
import { bodiesUpTo, type Gate } from '../access/mod.ts';
import { ReaderError } from '../errors/mod.ts';
import { assetOf, docsPage, PAGE } from './assets.ts';
import { bodyOf, natsOf, queryOf } from './inputs.ts';
import type { OverviewSampler } from './overview.ts';
import { tail } from './tail.ts';
import { consoleWrites, type WriteOptions } from './writes.ts';

export interface ConsoleOptions extends WriteOptions {
  sampler: OverviewSampler;
  /** Live tails open at once (429 past it). */
  tails: Gate;
  /** The reading API's own OpenAPI document (the reports page lists the reports from it). */
  readerDocument: unknown;
}

const SignIn = v.object({ secret: v.pipe(v.string(), v.minLength(1, 'give the console token or a read key')) });
const whole = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, 'expected a whole number'),
    v.transform(Number),
    v.minValue(min),
    v.maxValue(max),
  );
const LettersQuery = v.object({
  type: v.optional(v.pipe(v.string(), v.maxLength(256))),
  limit: v.optional(whole(1, 500), '100'),
  /** The sequence number the page starts after: the previous page's `next`. */
  after: v.optional(whole(0, Number.MAX_SAFE_INTEGER)),
});

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
      open: access.consoleOpen(c),
      can_sign_in: access.canSignIn,
      can_write: session?.canWrite ?? false,
    });
  });
  app.post('/api/sign-in', bodiesUpTo(4096), async (c) => {
    const { secret } = await bodyOf(c, SignIn);
    const session = access.signIn(c, secret);
    if (!session) throw new ReaderError('unauthenticated', 'neither the console token nor a read key');
    return c.json({ signed_in: true, can_write: session.canWrite });
  });
  app.post('/api/sign-out', bodiesUpTo(4096), (c) => {
    access.signOut(c);
    return c.json({ signed_in: false });
  });

  app.get('/api/overview', async (c) => c.json(await opts.sampler.overview()));
  app.get('/api/tail', (c) => {
    const nc = natsOf(opts.nats);
    const type = c.req.query('type') || undefined;
    const key = type === undefined ? undefined : opts.catalog().find(type)?.key;
    if (type !== undefined && !key) throw new ReaderError('invalid', `no event type ${JSON.stringify(type)}`);
    const release = opts.tails.enter();
    if (!release)
      throw new ReaderError('busy', `${opts.tails.limit} live tails are open on this reader; try again later`, {
        headers: { 'retry-after': '5' },
      });
    return tail(c, nc, key, release);
  });
  // A page of letters, oldest first: `next` is where the following page starts (null on the last), `total` how many
  // match from this page's start on (all of them on the first page). A page reads only its own letters.
  app.get('/api/dead-letters', async (c) => {
    const nc = natsOf(opts.nats);
    const q = queryOf(c, LettersQuery);
    const letters = [];
    let remaining = 0;
    for await (const l of readLetters(nc, { type: q.type || undefined, after: q.after })) {
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
      remaining = l.remaining;
      if (letters.length >= q.limit) break;
    }
    const next = remaining > 0 ? letters.at(-1)!.seq : null;
    return c.json({ letters, total: letters.length + remaining, next });
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
        enrich: t.spec.enrich ?? null,
        server_fields: Object.keys(t.serverFields),
        privacy: privacyOf(t),
        example: exampleEvent(t),
      })),
    });
  });
  app.get('/api/openapi/collector.json', (c) => c.json(openApiDocument(opts.catalog())));
  app.get('/api/openapi/reader.json', (c) => c.json(opts.readerDocument as object));
  return app;
}
