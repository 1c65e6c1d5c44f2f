// Candidate events → validated, enriched rows published to `events.<type>`: each event gets an
// event_id (client-given or UUIDv7) and received_at, and is accepted only once the stream acked it.
import { v7 as uuidv7 } from 'uuid';
import { eventTypeOf, formatUtc, validateEvent, type EventType, type Issue } from '../../shared/mod.ts';
import type { BodyItem } from './body.ts';
import type { Publisher } from './types.ts';

export type Outcome =
  | { status: 'accepted'; event_id: string; type: string }
  | { status: 'rejected'; issues: Issue[] }
  | { status: 'unavailable'; error: string };

export interface IngestOptions {
  /** The type named by the route; otherwise each event's `event` field decides. */
  type?: EventType;
  form: boolean;
  now: number;
}

const encoder = new TextEncoder();

export async function ingest(items: BodyItem[], publisher: Publisher, opts: IngestOptions): Promise<Outcome[]> {
  const receivedAt = formatUtc(opts.now, true);
  return Promise.all(
    items.map(async (item): Promise<Outcome> => {
      if (!item.ok) return { status: 'rejected', issues: item.issues };
      const value = item.value;
      const type = opts.type ?? (isRecord(value) ? eventTypeOf(value) : undefined);
      if (!type) return { status: 'rejected', issues: [{ path: '', message: 'expected a JSON object' }] };
      const checked = validateEvent(type, value, { fromForm: opts.form });
      if (!checked.ok) return { status: 'rejected', issues: checked.issues };
      const eventId = (checked.row.event_id as string | undefined) ?? uuidv7();
      const row = { ...checked.row, event_id: eventId, received_at: receivedAt };
      try {
        await publisher.publish(`events.${type.key}`, encoder.encode(JSON.stringify(row)), eventId);
        return { status: 'accepted', event_id: eventId, type: type.key };
      } catch (err) {
        return { status: 'unavailable', error: (err as Error).message };
      }
    }),
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
