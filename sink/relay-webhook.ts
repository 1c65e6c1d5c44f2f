// Webhook relay: POSTs a batch of events as NDJSON. 2xx delivers the batch; 429, 5xx and network
// errors retry (honouring Retry-After); any other 4xx means the receiver refuses it: dead letters.
import type { JsMsg } from '@nats-io/jetstream';
import type { Relay } from '../shared/mod.ts';
import { ndjsonBody } from './insert.ts';
import type { Attempt } from './settle.ts';

type WebhookRelay = Extract<Relay, { kind: 'webhook' }>;

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function webhookRelay(relay: WebhookRelay): (msgs: JsMsg[]) => Promise<Attempt> {
  return async (msgs) => {
    const first = msgs[0]!;
    let res: Response;
    try {
      res = await fetch(relay.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-ndjson',
          'user-agent': 'edge-events-relay',
          // The same batch retried carries the same key, for receivers that deduplicate.
          'idempotency-key': `${relay.name}:${first.info.stream}:${first.seq}-${msgs.at(-1)!.seq}`,
        },
        body: ndjsonBody(msgs) as Uint8Array<ArrayBuffer>,
        signal: AbortSignal.timeout(relay.timeout_ms),
      });
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      return { done: [], dead: [], retry: msgs, reason: `POST ${relay.url}: ${(err as Error).message}` };
    }
    if (res.ok) return { done: msgs, dead: [], retry: [] };
    const reason = `webhook ${relay.name} answered ${res.status}`;
    if (res.status === 429 || res.status >= 500 || res.status === 408) {
      return { done: [], dead: [], retry: msgs, reason, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) };
    }
    return { done: [], dead: msgs.map((msg) => ({ msg, reason, code: res.status })), retry: [] };
  };
}
