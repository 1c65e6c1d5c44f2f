// What the console's routes take, each a ReaderError when it is missing: a JSON body checked by its schema (a 400
// naming each bad field), and the NATS connection (a 503 when this reader has none).
import type { Context } from 'hono';
import * as v from 'valibot';
import type { NatsConnection } from '../../streams/mod.ts';
import { invalidBody, ReaderError } from '../errors/mod.ts';

/** The request's JSON body, checked by `schema`. */
export async function bodyOf<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  const body = v.safeParse(schema, await c.req.json().catch(() => undefined));
  if (!body.success) throw invalidBody(body.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })));
  return body.output;
}

/** The NATS connection, when there is one. */
export function natsOf(nats: () => NatsConnection | undefined): NatsConnection {
  const nc = nats();
  if (!nc) throw new ReaderError('unavailable', 'this reader has no NATS connection (NATS_URL)');
  return nc;
}
