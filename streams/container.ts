// The message format on `events.<type>`: one or more events of that type, one JSON object per line
// (NDJSON, no trailing newline). A message of one event has the event_id as its Nats-Msg-Id; a message of
// many has a digest of their ids, so a batch retried as it was sent is still stored once.
import { createHash } from 'node:crypto';

const NEWLINE = 0x0a;

/** Byte chunks joined by newlines in one allocation; `terminated` ends the last with one too (NDJSON bodies). */
export function joinLines(chunks: readonly Uint8Array[], terminated = false): Uint8Array {
  let size = terminated ? chunks.length : Math.max(0, chunks.length - 1);
  for (const c of chunks) size += c.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    if (at > 0 && !terminated) out[at++] = NEWLINE;
    out.set(c, at);
    at += c.byteLength;
    if (terminated) out[at++] = NEWLINE;
  }
  return out;
}

/** The message holding these events; one event is sent as it is, not copied. */
export const packEvents = (events: readonly Uint8Array[]): Uint8Array => (events.length === 1 ? events[0]! : joinLines(events));

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
