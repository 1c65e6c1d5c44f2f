// Waiting through a JetStream election. While a replicated stream is being created, or its leader is being elected
// after one died, requests to it find no responders (nats.js may also call that "jetstream is not enabled"), time
// out, or JetStream answers that it is temporarily unavailable (a server still recovering its streams, a cluster
// without a meta leader): that passes within seconds and is worth waiting for, where any other error is not.
// Recognised by type and code along the `cause` chain, never by message text.
import { JetStreamApiError } from '@nats-io/jetstream';
import { NoRespondersError, TimeoutError } from '@nats-io/transport-node';
import { retrying } from '../shared/mod.ts';

/** JetStream's API error "JetStream system temporarily unavailable". */
const TEMPORARILY_UNAVAILABLE = 10008;

export function isElecting(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof NoRespondersError || e instanceof TimeoutError) return true;
    if (e instanceof JetStreamApiError && e.code === TEMPORARILY_UNAVAILABLE) return true;
    e = e.cause;
  }
  return false;
}

/** Runs `request` until it answers, waiting (250 ms, doubling to 2 s) through an election for at most `withinMs`. */
export const throughElection = <T>(request: () => Promise<T>, withinMs = 30_000): Promise<T> =>
  retrying(request, { passing: isElecting, baseMs: 250, maxMs: 2000, withinMs });
