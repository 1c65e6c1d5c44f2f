// Dead-lettering: the original payload (a whole message, or one event of it) goes to stream DLQ on
// `dlq.<type>` (a relay's on `dlq.relay.<name>.<type>`) with headers saying why, from where, by whom and after how
// many deliveries. The caller settles
// the original (term, or ack when only some of its events were dead) only after the DLQ's PubAck.
import { jetstream } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { deadLetterMessageId, dlqSubject, typeKeyOf } from '../shared/mod.ts';
import type { NatsLink } from './connect.ts';
import { DLQ_HEADERS } from './definitions.ts';
import type { DeadLetterer } from './delivery.ts';

/** `by` names who dead-lettered (the sink, the archiver, or relay `relay`). Rejects if the DLQ did not ack every
 *  letter. */
export function createDeadLetterer(link: NatsLink, by: string, relay?: string): DeadLetterer {
  const js = jetstream(link.nc);
  return async (letters) => {
    await Promise.all(
      letters.map(async ({ msg, event, reason, code, firstFailure }) => {
        const h = headers();
        h.set(DLQ_HEADERS.reason, reason.replace(/[\r\n]+/g, ' ').slice(0, 1000));
        if (code !== undefined) h.set(DLQ_HEADERS.code, String(code));
        h.set(DLQ_HEADERS.deliveries, String(msg.info.deliveryCount));
        h.set(DLQ_HEADERS.subject, msg.subject);
        h.set(DLQ_HEADERS.stream, msg.info.stream);
        h.set(DLQ_HEADERS.sequence, String(msg.seq));
        if (event) h.set(DLQ_HEADERS.line, String(event.line));
        h.set(DLQ_HEADERS.firstFailure, new Date(firstFailure).toISOString());
        h.set(DLQ_HEADERS.deadLetteredBy, by);
        // A message of many events carries one traceparent per event, in line order.
        const traceparent = msg.headers?.values('traceparent')[event?.line ?? 0];
        if (traceparent) h.set('traceparent', traceparent);
        // The msgID makes a re-dead-lettering after a crash (DLQ acked, settle lost) a no-op.
        await js.publish(dlqSubject(typeKeyOf(msg.subject), relay), event?.data ?? msg.data, {
          headers: h,
          msgID: deadLetterMessageId(by, msg.info.stream, msg.seq, event?.line),
        });
      }),
    );
  };
}
