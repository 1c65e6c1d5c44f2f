// Dead-lettering: the original payload goes to stream DLQ on `dlq.<type>` with headers saying why,
// from where, and after how many deliveries; only after the DLQ's PubAck is the original terminated.
import { jetstream, type JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { DLQ_HEADERS, dlqSubject, typeKeyOf, type NatsLink } from '../streams/mod.ts';

export interface DeadLetter {
  msg: JsMsg;
  reason: string;
  code?: number;
  /** When this message was first seen to fail (epoch ms). */
  firstFailure: number;
}

export type DeadLetterer = (letters: DeadLetter[]) => Promise<void>;

/** `by` names who dead-lettered (the sink, or a relay). Rejects if the DLQ did not ack; nothing is termed then. */
export function createDeadLetterer(link: NatsLink, by: string, prefix = ''): DeadLetterer {
  const js = jetstream(link.nc);
  return async (letters) => {
    await Promise.all(
      letters.map(async ({ msg, reason, code, firstFailure }) => {
        const h = headers();
        h.set(DLQ_HEADERS.reason, reason.replace(/[\r\n]+/g, ' ').slice(0, 1000));
        if (code !== undefined) h.set(DLQ_HEADERS.code, String(code));
        h.set(DLQ_HEADERS.deliveries, String(msg.info.deliveryCount));
        h.set(DLQ_HEADERS.subject, msg.subject);
        h.set(DLQ_HEADERS.stream, msg.info.stream);
        h.set(DLQ_HEADERS.sequence, String(msg.seq));
        h.set(DLQ_HEADERS.firstFailure, new Date(firstFailure).toISOString());
        h.set(DLQ_HEADERS.deadLetteredBy, by);
        const traceparent = msg.headers?.get('traceparent');
        if (traceparent) h.set('traceparent', traceparent);
        // The msgID makes a re-dead-lettering after a crash (DLQ acked, term lost) a no-op.
        await js.publish(dlqSubject(prefix + typeKeyOf(msg.subject)), msg.data, {
          headers: h,
          msgID: `${by}:${msg.info.stream}:${msg.seq}`,
        });
      }),
    );
    // A plain term: `+TERM <reason>` needs nats-server 2.10, and the reason is in the headers anyway.
    for (const { msg } of letters) msg.term();
  };
}
