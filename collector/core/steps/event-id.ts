// Step event_id: the client's event_id is kept (a retried event is the same row); an event without one gets a new
// UUIDv7.
import { newEventId } from '../event-id.ts';
import type { Step } from './step.ts';

export const eventId: Step = {
  name: 'event_id',
  apply(row) {
    if (row.event_id !== undefined) return undefined;
    // A key holding undefined (a Segment call without messageId) is dropped first, so the id comes after the fields.
    if ('event_id' in row) delete row.event_id;
    row.event_id = newEventId();
    return undefined;
  },
};
