// Erasure requests over HTTP (GDPR art. 17 and 21), for admin keys only (access/guard.ts): POST
// /v1/privacy/deletions {"user_id": …, "suppress": true|false} records a request in the privacy register (streams'
// privacy-register.ts) and answers 202 with its id; the sink, the archiver and the dead letters' keeper erase the
// person where each holds their events and write what they did into it; GET /v1/privacy/deletions/{id} answers its
// status — pending until every place has answered, then done — with the counts per place.
import type { Hono } from 'hono';
import * as v from 'valibot';
import { statusOf, type Erasure, type PrivacyRegister } from '../streams/mod.ts';
import { bodyOf } from './console/mod.ts';
import { ReaderError } from './errors/mod.ts';

const Deletion = v.strictObject({
  user_id: v.pipe(
    v.union([v.string(), v.pipe(v.number(), v.safeInteger(), v.toString())]),
    v.string(),
    v.minLength(1),
    v.maxLength(256),
  ),
  suppress: v.optional(v.boolean(), false),
});

const shown = (e: Erasure) => ({
  id: e.id,
  status: statusOf(e),
  user_id: e.user_id,
  suppress: e.suppress,
  requested_at: new Date(e.requested_at).toISOString(),
  places: Object.fromEntries(
    Object.entries(e.places).map(([place, p]) => [place, { done_at: new Date(p.done_at).toISOString(), ...p.counts }]),
  ),
});

export function privacyRoutes(app: Hono, privacy: () => Promise<PrivacyRegister> | undefined): void {
  const register = async () => {
    const r = privacy();
    if (!r) throw new ReaderError('unavailable', 'this reader has no NATS connection (NATS_URL)');
    return r.catch(() => {
      throw new ReaderError('unavailable', 'the privacy register is not reachable yet (a sink makes it)');
    });
  };
  app.post('/v1/privacy/deletions', async (c) => {
    const body = await bodyOf(c, Deletion);
    const e = await (await register()).request(body.user_id, body.suppress);
    return c.json(shown(e), 202);
  });
  app.get('/v1/privacy/deletions/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new ReaderError('not-found', `no erasure request ${JSON.stringify(id)}`);
    const e = await (await register()).get(id);
    if (!e) throw new ReaderError('not-found', `no erasure request ${id}`);
    return c.json(shown(e));
  });
}
