// The events of erased persons are not inserted (streams' privacy register): a message that holds one is split into
// its events and those are left out, so an event received before its person's erasure request — still in the stream,
// redelivered, redriven or replayed from the archive — never lands again, and a suppressed person's never does. With
// nobody forgotten the messages pass as they are, unread.
import type { EventType } from '../shared/mod.ts';
import type { ForgetList } from '../streams/mod.ts';
import { eventsOfPart, type Part } from './request-builder.ts';

const decoder = new TextDecoder();

/** When the row was received, in milliseconds ("YYYY-MM-DD hh:mm:ss.mmm", UTC). */
const receivedMs = (text: unknown) => (typeof text === 'string' ? Date.parse(`${text.replace(' ', 'T')}Z`) : NaN);

/** Whether the row in `data` (one event) belongs to someone `list` forgets. */
export function isForgotten(list: ForgetList, data: Uint8Array): boolean {
  try {
    const row = JSON.parse(decoder.decode(data)) as { user_id?: unknown; received_at?: unknown };
    if (row.user_id === undefined || row.user_id === null) return false;
    return list.forgets(String(row.user_id), receivedMs(row.received_at));
  } catch {
    // Not JSON: the insert refuses it and it is dead-lettered, as before.
    return false;
  }
}

/** The parts to insert: `parts` without the events of forgotten persons; `dropped` counts those left out. */
export function withoutForgotten(
  type: EventType,
  parts: Part[],
  list: ForgetList | undefined,
  dropped: (n: number) => void,
): Part[] {
  if (!list || list.size === 0 || !('user_id' in type.fields)) return parts;
  const out: Part[] = [];
  for (const part of parts) {
    const events = eventsOfPart(part) ?? [part];
    const kept = events.filter((e) => !isForgotten(list, e.data));
    if (kept.length === events.length) out.push(part);
    else {
      out.push(...kept);
      dropped(events.length - kept.length);
    }
  }
  return out;
}
