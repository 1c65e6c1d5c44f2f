// Segment-spec messages (track, identify, page, screen, group, alias) that have no typed schema:
// table `segment_events` keeps who, what and when as columns, and properties/traits/context as JSON.
import * as v from 'valibot';
import { eventTime, label, oneOf, text } from './columns.ts';
import { defineEventType } from './event-type.ts';

export const segmentCalls = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

const id = () => v.optional(text(256), '');
const json = () => v.optional(v.pipe(text(32 * 1024), v.description('a JSON object, as text')), '{}');

export const segmentEvent = defineEventType({
  name: 'SegmentEvent',
  key: 'segment',
  table: 'segment_events',
  description: 'A Segment-spec call without a typed schema (POST /v1/track, /v1/identify, …, /v1/batch).',
  timeField: 'timestamp',
  orderBy: ['timestamp', 'type', 'event_id'],
  fields: {
    type: oneOf(segmentCalls),
    event: v.optional(label(), ''),
    name: v.optional(text(256), ''),
    user_id: id(),
    anonymous_id: id(),
    group_id: id(),
    previous_id: id(),
    properties: json(),
    traits: json(),
    context: json(),
    timestamp: eventTime('optional'),
    source: v.optional(label(64), ''),
  },
});
