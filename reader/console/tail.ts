// The live tail: the newest events as they reach stream EVENTS, pushed to the page as server-sent events. An ordered
// consumer (ephemeral, nothing acked, from new messages on, one type or all) reads them; the page gets at most
// MAX_PER_SECOND events a second, and what is skipped beyond that is counted and said (`event: skipped`), so the
// view may miss events and says so. A tail holds one of the process's tail slots until its stream ends (the page
// closed, the server stopping, an error): `release` is called then, once. Wire: NATS JetStream ordered consumer →
// text/event-stream.
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { EVENT_SUBJECTS, eventSubject, typeKeyOf } from '../../shared/mod.ts';
import { EVENTS_STREAM, eventsIn, type NatsConnection } from '../../streams/mod.ts';

const MAX_PER_SECOND = 50;
const decoder = new TextDecoder();

export function tail(c: Context, nc: NatsConnection, typeKey: string | undefined, release: () => void): Response {
  return streamSSE(c, async (stream) => {
    stream.onAbort(release);
    try {
      await follow(stream, nc, typeKey);
    } finally {
      release();
    }
  });
}

async function follow(stream: SSEStreamingApi, nc: NatsConnection, typeKey: string | undefined): Promise<void> {
  const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, {
    filter_subjects: typeKey ? eventSubject(typeKey) : EVENT_SUBJECTS,
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await consumer.consume({ max_messages: 256 });
  stream.onAbort(() => void messages.close());
  await stream.writeSSE({ event: 'ready', data: '{}' });
  let second = 0;
  let sent = 0;
  let skipped = 0;
  const flushSkipped = async () => {
    if (skipped === 0) return;
    await stream.writeSSE({ event: 'skipped', data: JSON.stringify({ events: skipped }) });
    skipped = 0;
  };
  // A heartbeat keeps proxies from closing a quiet stream and reports what was skipped.
  const beat = setInterval(() => void flushSkipped().then(() => stream.writeSSE({ event: 'beat', data: '{}' })), 5000);
  try {
    for await (const m of messages) {
      const now = Math.floor(Date.now() / 1000);
      if (now !== second) {
        [second, sent] = [now, 0];
        await flushSkipped();
      }
      for (const line of eventsIn(m.data)) {
        if (sent >= MAX_PER_SECOND) {
          skipped++;
          continue;
        }
        sent++;
        const data = JSON.stringify({
          type: typeKeyOf(m.subject),
          seq: m.seq,
          event: JSON.parse(decoder.decode(line)),
        });
        await stream.writeSSE({ event: 'event', data });
      }
      if (stream.aborted) break;
    }
  } finally {
    clearInterval(beat);
    await messages.close();
  }
}
