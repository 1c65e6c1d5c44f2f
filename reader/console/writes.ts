// The console's writes: the only routes of the reading process that change state outside it. POST
// /console/api/dead-letters/redrive asks a sink to put dead letters back on their subjects (the reader may not
// publish events itself: streams' requestRedrive), and POST
// /console/api/test-event sends an event to a collector with a write key of its sources: both only for a session
// signed in with the console token (or an open console on loopback), never for one signed in with a read key — the
// server's write key is not a read key's to use. Everything else the reader serves reads. Wire: HTTP (hono) in;
// a NATS request to a sink for the redrive; HTTP POST (JSON) to the collector for a test event.
import { Hono, type MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { EVENTS_ROUTE, typedEventsRoute, type Catalog } from '../../shared/mod.ts';
import { type Source } from '../../shared/config/mod.ts';
import { RedriveError, requestRedrive, type NatsConnection } from '../../streams/mod.ts';
import { invalidBody, ReaderError } from '../errors/mod.ts';
import type { ReaderAccess } from '../access/mod.ts';
import { bodyOf, natsOf } from './inputs.ts';

export interface WriteOptions {
  access: ReaderAccess;
  nats: () => NatsConnection | undefined;
  catalog: () => Catalog;
  /** The collector test events go to, and the write-key sources it knows (the console sends with one). */
  collector: string;
  sources: readonly Source[];
}

const Redrive = v.union(
  [
    v.strictObject({
      seqs: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.minLength(1), v.maxLength(1000)),
    }),
    v.strictObject({ type: v.pipe(v.string(), v.regex(/^[a-z0-9_.]+$/, 'a type key')) }),
  ],
  'give either seqs (sequence numbers) or a type',
);
const TestEvent = v.object({ type: v.string(), payload: v.unknown() });

/** The write routes, relative to /console/api (mounted behind its sign-in check). */
export function consoleWrites(opts: WriteOptions): Hono {
  const app = new Hono();
  // On each route (a sub-app's middleware would also run before the console's routes mounted after it).
  const writer: MiddlewareHandler = async (c, next) => {
    if (!opts.access.sessionOf(c)?.canWrite)
      throw new ReaderError('forbidden', 'this needs a session signed in with the console token');
    return next();
  };
  app.post('/dead-letters/redrive', writer, async (c) => {
    const nc = natsOf(opts.nats);
    const body = await bodyOf(c, Redrive);
    const redriven = await requestRedrive(nc, body).catch((err) => {
      if (err instanceof RedriveError && err.kind === 'unavailable')
        throw new ReaderError('unavailable', 'no sink answered the redrive request', {}, { cause: err });
      throw err;
    });
    return c.json({ redriven });
  });
  app.post('/test-event', writer, async (c) => {
    const body = await bodyOf(c, TestEvent);
    const type = opts.catalog().find(body.type);
    if (!type) {
      const message = `no event type ${JSON.stringify(body.type)} in the catalog`;
      throw invalidBody([{ path: 'type', message }]);
    }
    const route = type.role === 'fallback' ? EVENTS_ROUTE : typedEventsRoute(type.name);
    // A key configured as its digest (sha256:…) cannot be sent: only a plaintext one can.
    const source = opts.sources.find(
      (s) => !/^sha256:/i.test(s.key) && (!s.types || s.types.some((t) => t === type.name || t === type.key)),
    );
    const res = await fetch(`${opts.collector}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(source ? { 'x-write-key': source.key } : {}) },
      body: JSON.stringify(body.payload),
      signal: AbortSignal.timeout(5000),
    }).catch((err: Error) => err);
    if (res instanceof Error)
      throw new ReaderError('upstream', `the collector at ${opts.collector} did not answer`, {}, { cause: res });
    const text = await res.text();
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {
      // Not JSON: shown as the text it is.
    }
    return c.json({ status: res.status, route, body: answer });
  });
  return app;
}
