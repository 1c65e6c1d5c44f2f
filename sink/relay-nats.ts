// NATS relay: republishes each message (one or more events, NDJSON) to `relay.<name>.<original subject>` (stream
// RELAYED) and counts it delivered only on the PubAck. Wire: JetStream publish, Nats-Msg-Id per source message.
import { jetstream, type JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { relayMessageId, relaySubject } from '../shared/mod.ts';
import { type Relay } from '../shared/config/mod.ts';
import { decidePublish } from './retry-logic.ts';
import { noAttempt, type Attempt, type NatsLink } from '../streams/mod.ts';

export function natsRelay(relay: Relay, link: NatsLink): (msgs: JsMsg[]) => Promise<Attempt> {
  const js = jetstream(link.nc);
  return async (msgs) => {
    const out = noAttempt();
    await Promise.all(
      msgs.map(async (m) => {
        const h = headers();
        for (const [k, v] of m.headers ?? []) if (k !== 'Nats-Msg-Id') for (const x of v) h.append(k, x);
        // The msgID makes a republish after a crash (PubAck got, source ack lost) a no-op.
        const msgID = relayMessageId(relay.name, m.info.stream, m.seq);
        const failure = await js.publish(relaySubject(relay.name, m.subject), m.data, { headers: h, msgID }).then(
          () => undefined,
          (err: unknown) => err,
        );
        const decision = decidePublish(failure);
        if (decision.kind === 'ok') out.done.push(m);
        else if (decision.kind === 'dead-letter')
          out.dead.push({ msg: m, reason: decision.reason, code: decision.code });
        else (out.retry.push(m), (out.reason = decision.reason));
      }),
    );
    return out;
  };
}
