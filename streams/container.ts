// The message format on `events.<type>`: one or more events of that type, one JSON object per line
// (NDJSON, no trailing newline). A message of one event has that event's own message id as its Nats-Msg-Id
// (`event:<event_id>`, or a replay's); a message of many has a digest of their ids, so a batch retried as it was sent
// is still stored once.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { batchMessageId } from '../shared/mod.ts';

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

/**
 * The message holding these events (JSON lines): each line written straight into one buffer of the message's size
 * (`bytes`, the lines' UTF-8 lengths plus a newline each, when the caller has counted them). Joining the lines first
 * and encoding the joined string costs ten times more once a message holds hundreds of events: the joined string is
 * a large object of its own, made and collected once per message.
 */
export function packLines(lines: readonly string[], bytes?: number): Uint8Array {
  let size = Math.max(0, lines.length - 1);
  if (bytes !== undefined) size = bytes - 1;
  else for (const l of lines) size += utf8Length(l);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) out[at++] = NEWLINE;
    at += out.write(lines[i]!, at, 'utf8');
  }
  return out;
}

/** Bytes of `text` in UTF-8, counted without encoding it (lone surrogates as U+FFFD, as TextEncoder writes them). */
export const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

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

/** Nats-Msg-Id of a message holding events with these message ids (shared/wire-names.ts: eventMessageId, …). */
export function messageIdOf(ids: readonly string[]): string {
  if (ids.length === 1) return ids[0]!;
  return batchMessageId(
    createHash('sha256')
      .update(`${ids.join('\n')}\n`)
      .digest('base64url'),
  );
}
