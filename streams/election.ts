// Waiting through a JetStream election. While a replicated stream is being created, or its leader is being elected
// after one died, requests to it find no responders (nats.js may also call that "jetstream is not enabled") or time
// out: that passes within seconds and is worth waiting for, where any other error is not. Recognised by type along
// the `cause` chain, never by message text.
import { NoRespondersError, TimeoutError } from '@nats-io/transport-node';

export function isElecting(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof NoRespondersError || e instanceof TimeoutError) return true;
    e = e.cause;
  }
  return false;
}

/** Runs `request` until it answers, waiting (250 ms, doubling to 2 s) through an election for at most `withinMs`. */
export async function throughElection<T>(request: () => Promise<T>, withinMs = 30_000): Promise<T> {
  const until = Date.now() + withinMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 2000)) {
    try {
      return await request();
    } catch (err) {
      if (!isElecting(err) || Date.now() + wait > until) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
