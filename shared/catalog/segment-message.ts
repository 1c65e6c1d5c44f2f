// Segment's tracking API: the calls (track, identify, page, screen, group, alias) and the message a client sends —
// one valibot schema that both validates it and becomes its OpenAPI schema. Calls without a typed schema land in
// the catalog's `role: segment` type (catalog/50-segment.yaml).
import * as v from 'valibot';
import { parseEventTime } from './event-time.ts';
import { isRecord } from '../is-record.ts';

export const segmentCalls = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

/** A user, group or message id: Segment's SDKs send strings, some clients numbers. */
const segmentId = v.union([v.string(), v.number()]);
/** A time as Segment's SDKs write it; zone-less times are UTC, as everywhere in the catalog. */
const isoTime = v.pipe(
  v.string(),
  v.check(
    (s) => typeof parseEventTime(s, 'optional') === 'number',
    'expected an ISO 8601 date-time such as 2024-01-02T03:04:05.678Z',
  ),
  v.metadata({ format: 'date-time' }),
);
/** A JSON object (not an array), kept as it is. */
const object = v.pipe(
  v.custom<Record<string, unknown>>(isRecord, 'expected a JSON object'),
  v.metadata({ type: 'object' }),
);
const present = (id: unknown) => id !== undefined && id !== '';

const fields = v.looseObject({
  type: v.pipe(
    v.optional(v.picklist(segmentCalls, `expected one of ${segmentCalls.join(', ')}`)),
    v.description('In /v1/batch; implied by the route otherwise.'),
  ),
  userId: v.optional(segmentId),
  anonymousId: v.optional(segmentId),
  event: v.optional(v.string()),
  name: v.optional(v.string()),
  properties: v.optional(object),
  traits: v.optional(object),
  context: v.optional(object),
  groupId: v.optional(segmentId),
  previousId: v.optional(segmentId),
  messageId: v.pipe(v.optional(v.string()), v.description('Becomes the event_id (deduplication key).')),
  timestamp: v.optional(isoTime),
  originalTimestamp: v.optional(isoTime),
  sentAt: v.pipe(v.optional(isoTime), v.description('Client clock at send time; corrects timestamp for clock skew.')),
  writeKey: v.pipe(v.optional(v.string()), v.description('Alternative to HTTP Basic auth.')),
});
/** One Segment call as a client sends it. On /v1/track and the other single-call routes, the route sets `type`. */
export const segmentMessage = v.pipe(
  fields,
  v.forward(
    v.partialCheck([['type']], (m) => m.type !== undefined, `expected one of ${segmentCalls.join(', ')}`),
    ['type'],
  ),
  v.forward(
    v.partialCheck(
      [['userId'], ['anonymousId']],
      (m) => present(m.userId) || present(m.anonymousId),
      'userId or anonymousId is required',
    ),
    ['userId'],
  ),
  v.forward(
    v.partialCheck(
      [['type'], ['event']],
      (m) => m.type !== 'track' || present(m.event),
      'a track call needs an event name',
    ),
    ['event'],
  ),
  v.forward(
    v.partialCheck(
      [['type'], ['previousId']],
      (m) => m.type !== 'alias' || present(m.previousId),
      'an alias call needs previousId',
    ),
    ['previousId'],
  ),
  v.forward(
    v.partialCheck(
      [['type'], ['groupId']],
      (m) => m.type !== 'group' || present(m.groupId),
      'a group call needs groupId',
    ),
    ['groupId'],
  ),
  v.description(
    'A Segment-spec call. A track call whose `event` names a typed schema is stored as that type ' +
      '(fields from `properties`); any other call in segment_events.',
  ),
  // What the checks above require, for the JSON Schema (checks themselves have no JSON Schema form).
  v.metadata({ anyOf: [{ required: ['userId'] }, { required: ['anonymousId'] }] }),
);
export type SegmentMessage = v.InferOutput<typeof segmentMessage>;
