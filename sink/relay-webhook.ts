// Webhook relay: POSTs a batch of events as NDJSON, with an Idempotency-Key. The answer decides (retry-logic.ts):
// 2xx delivers the batch; 408, 429, 5xx and no answer retry (honouring Retry-After); any other 4xx means the
// receiver refuses it: dead letters.
import type { JsMsg } from '@nats-io/jetstream';
import { webhookIdempotencyKey } from '../shared/mod.ts';
import { type Relay } from '../shared/config/mod.ts';
import { attemptOf, type Attempt, type Decision } from '../streams/mod.ts';
import { ndjsonBody } from './request-builder.ts';
import { decideHttp, decideNoAnswer } from './retry-logic.ts';

type WebhookRelay = Extract<Relay, { kind: 'webhook' }>;

export function webhookRelay(relay: WebhookRelay): (msgs: JsMsg[]) => Promise<Attempt> {
  return async (msgs) => {
    const first = msgs[0]!;
    let decision: Decision;
    try {
      const res = await fetch(relay.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-ndjson',
          'user-agent': 'edge-events-relay',
          // The same batch retried carries the same key, for receivers that deduplicate.
          'idempotency-key': webhookIdempotencyKey(relay.name, first.info.stream, first.seq, msgs.at(-1)!.seq),
        },
        body: ndjsonBody(msgs) as Uint8Array<ArrayBuffer>,
        signal: AbortSignal.timeout(relay.timeout_ms),
      });
      await res.arrayBuffer().catch(() => undefined);
      decision = decideHttp(res.status, res.headers.get('retry-after'));
    } catch (err) {
      decision = decideNoAnswer(err);
    }
    if (decision.kind !== 'ok') decision = { ...decision, reason: `webhook ${relay.name} ${decision.reason}` };
    return attemptOf(msgs, decision);
  };
}
