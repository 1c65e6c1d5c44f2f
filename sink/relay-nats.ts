// NATS relay: republishes each message (one or more events, NDJSON) to `relay.<name>.<original subject>` (stream RELAYED)
// and counts it delivered only on the PubAck. Wire: JetStream publish, Nats-Msg-Id per source message.
import { jetstream, type JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import type { Relay } from '../shared/mod.ts';
import { relaySubject, type NatsLink } from '../streams/mod.ts';
import type { Attempt } from './settle.ts';

export function natsRelay(relay: Relay, link: NatsLink): (msgs: JsMsg[]) => Promise<Attempt> {
  const js = jetstream(link.nc);
  return async (msgs) => {
    const out: Attempt = { done: [], dead: [], retry: [] };
    await Promise.all(
      msgs.map(async (m) => {
        const h = headers();
        for (const [k, v] of m.headers ?? []) if (k !== 'Nats-Msg-Id') for (const x of v) h.append(k, x);
        try {
          // The msgID makes a republish after a crash (PubAck got, source ack lost) a no-op.
          await js.publish(relaySubject(relay.name, m.subject), m.data, { headers: h, msgID: `${relay.name}:${m.info.stream}:${m.seq}` });
          out.done.push(m);
        } catch (err) {
          out.retry.push(m);
          out.reason = (err as Error).message;
        }
      }),
    );
    return out;
  };
}
