// The message format on `events.<type>`: one or more events of that type, one JSON object per line
// (NDJSON, no trailing newline). A message of one event has the event_id as its Nats-Msg-Id; a message of
// many has a digest of their ids, so a batch retried as it was sent is still stored once.
import { createHash } from 'node:crypto';

const NEWLINE = 0x0a;

/** The events' bytes joined by newlines, in one allocation. */
export function packEvents(events: readonly Uint8Array[]): Uint8Array {
  if (events.length === 1) return events[0]!;
  let size = events.length - 1;
  for (const e of events) size += e.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const e of events) {
    if (at > 0) out[at++] = NEWLINE;
    out.set(e, at);
    at += e.byteLength;
  }
  return out;
}

/** The events of a message, as views into its bytes (no copies). */
export function eventsIn(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = data.indexOf(NEWLINE); i !== -1; i = data.indexOf(NEWLINE, start)) {
    if (i > start) out.push(data.subarray(start, i));
    start = i + 1;
  }
  if (start < data.byteLength) out.push(data.subarray(start));
  return out;
}

/** How many events a message holds. */
export function countEvents(data: Uint8Array): number {
  let n = 0;
  let start = 0;
  for (let i = data.indexOf(NEWLINE); i !== -1; i = data.indexOf(NEWLINE, start)) {
    if (i > start) n++;
    start = i + 1;
  }
  return start < data.byteLength ? n + 1 : n;
}

/** Nats-Msg-Id of a message holding events with these ids. */
export function messageIdOf(eventIds: readonly string[]): string {
  if (eventIds.length === 1) return eventIds[0]!;
  const h = createHash('sha256');
  for (const id of eventIds) h.update(id).update('\n');
  return `batch:${h.digest('base64url')}`;
}
