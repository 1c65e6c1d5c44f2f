// Webhook relay: POSTs a batch of events as NDJSON, signed with the Standard Webhooks scheme (webhook-signature.ts)
// and carrying an Idempotency-Key equal to its `webhook-id`. Redirects are never followed (the signed batch goes
// only where RELAYS says). The answer decides (retry-logic.ts): 2xx delivers the batch; 3xx, 408, 429, 5xx and no
// answer retry (honouring Retry-After), then dead letters after the relay's last attempt; any other 4xx means the
// receiver refuses it: dead letters at once.
import type { JsMsg } from '@nats-io/jetstream';
import { webhookIdempotencyKey } from '../shared/mod.ts';
import { type Relay } from '../shared/config/mod.ts';
import { attemptOf, type Attempt, type Decision } from '../streams/mod.ts';
import { ndjsonBody } from './request-builder.ts';
import { decideHttp, decideNoAnswer } from './retry-logic.ts';
import { signatureHeaders } from './webhook-signature.ts';

type WebhookRelay = Extract<Relay, { kind: 'webhook' }>;

export function webhookRelay(relay: WebhookRelay): (msgs: JsMsg[]) => Promise<Attempt> {
  return async (msgs) => {
    const first = msgs[0]!;
    // The same batch retried carries the same id, for receivers that deduplicate.
    const id = webhookIdempotencyKey(relay.name, first.info.stream, first.seq, msgs.at(-1)!.seq);
    const body = ndjsonBody(msgs);
    let decision: Decision;
    try {
      const res = await fetch(relay.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-ndjson',
          'user-agent': 'edge-events-relay',
          'idempotency-key': id,
          ...signatureHeaders(id, body, relay.signing.keys),
        },
        body: body as Uint8Array<ArrayBuffer>,
        signal: AbortSignal.timeout(relay.timeout_ms),
      });
      await res.arrayBuffer().catch(() => undefined);
      decision = decideHttp(res.status, res.headers.get('retry-after'));
      if (decision.kind !== 'ok' && res.status >= 300 && res.status < 400)
        decision = { ...decision, reason: `${decision.reason} to ${originOf(res.headers.get('location'), relay.url)}` };
    } catch (err) {
      decision = decideNoAnswer(err);
    }
    if (decision.kind !== 'ok') decision = { ...decision, reason: `webhook ${relay.name} ${decision.reason}` };
    return attemptOf(msgs, decision);
  };
}

/** Where a redirect pointed, for the reason: its origin only (a path or query may carry a token). */
function originOf(location: string | null, base: string): string {
  if (!location) return 'nowhere (no Location)';
  try {
    return new URL(location, base).origin;
  } catch {
    return 'an invalid Location';
  }
}
