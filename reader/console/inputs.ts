// What the console's routes take, each a ReaderError when it is missing: a JSON body or the query parameters checked
// by their schema (a 400 naming each bad field), and the NATS connection (a 503 when this reader has none).
import type { Context } from 'hono';
import * as v from 'valibot';
import type { NatsConnection } from '../../streams/mod.ts';
import { invalidBody, invalidParameters, ReaderError } from '../errors/mod.ts';

/** The request's JSON body, checked by `schema`. */
export async function bodyOf<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  const body = v.safeParse(schema, await c.req.json().catch(() => undefined));
  if (!body.success) throw invalidBody(body.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })));
  return body.output;
}

/** The request's query parameters, checked by `schema`. */
export function queryOf<S extends v.GenericSchema>(c: Context, schema: S): v.InferOutput<S> {
  const query = v.safeParse(schema, c.req.query());
  if (!query.success)
    throw invalidParameters(query.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })));
  return query.output;
}

/** The NATS connection, when there is one. */
export function natsOf(nats: () => NatsConnection | undefined): NatsConnection {
  const nc = nats();
  if (!nc) throw new ReaderError('unavailable', 'this reader has no NATS connection (NATS_URL)');
  return nc;
}
