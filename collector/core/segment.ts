// Segment's HTTP tracking API, mapped onto edge-events: a call's messageId becomes the event_id, its
// time is corrected for client clock skew (sentAt), a track call naming a typed schema is stored as
// that type, and every other call lands in segment_events with its properties, traits and context.
import { columnType, findEventType, segmentEvent, type EventType, type Source } from '../../shared/mod.ts';
import type { BodyItem } from './body.ts';
import { HttpError } from './http-error.ts';

type Call = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias';
export type SegmentRoute = Call | 'batch';

/** The Segment routes, with the one-letter forms analytics.js uses. */
export const SEGMENT_ROUTES: Readonly<Record<string, SegmentRoute>> = Object.fromEntries(
  (['track', 'identify', 'page', 'screen', 'group', 'alias', 'batch'] as const).flatMap((c) => [
    [`/v1/${c}`, c],
    [`/v1/${c[0]}`, c],
  ]),
);

const CALLS = new Set<string>(['track', 'identify', 'page', 'screen', 'group', 'alias']);

export type IngestItem = BodyItem & { type?: EventType };

export interface SegmentBody {
  messages: unknown[];
  batch: boolean;
  writeKey?: unknown;
  sentAt?: unknown;
}

/** The messages of a Segment request body (one call, or `{ batch: [...] }`). */
export function segmentBody(route: SegmentRoute, body: unknown): SegmentBody {
  if (!isRecord(body)) throw new HttpError(400, 'expected a JSON object');
  if (route !== 'batch') return { messages: [body], batch: false, writeKey: body.writeKey };
  if (!Array.isArray(body.batch) || body.batch.length === 0) throw new HttpError(400, 'expected a non-empty "batch" array');
  return { messages: body.batch, batch: true, writeKey: body.writeKey, sentAt: body.sentAt };
}

const idOf = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const rejected = (path: string, message: string): IngestItem => ({ ok: false, issues: [{ path, message }] });
const asJson = (v: unknown) => (isRecord(v) ? JSON.stringify(v) : '{}');

/** When it happened on the server's clock: timestamp + (received − sentAt). */
function correctedTime(msg: Record<string, unknown>, sentAt: unknown, now: number): number | undefined {
  const given = msg.timestamp ?? msg.originalTimestamp;
  const ts = given === undefined ? now : typeof given === 'string' ? Date.parse(given) : NaN;
  if (Number.isNaN(ts)) return undefined;
  const sent = typeof (msg.sentAt ?? sentAt) === 'string' ? Date.parse((msg.sentAt ?? sentAt) as string) : NaN;
  return given !== undefined && !Number.isNaN(sent) ? ts + (now - sent) : ts;
}

export function segmentItem(route: SegmentRoute, msg: unknown, ctx: { now: number; sentAt?: unknown; source?: Source }): IngestItem {
  if (!isRecord(msg)) return rejected('', 'expected a JSON object');
  const call = route === 'batch' ? msg.type : route;
  if (typeof call !== 'string' || !CALLS.has(call)) return rejected('type', `expected one of ${[...CALLS].join(', ')}`);
  const userId = idOf(msg.userId);
  const anonymousId = idOf(msg.anonymousId);
  if (!userId && !anonymousId) return rejected('userId', 'userId or anonymousId is required');
  if (call === 'track' && (typeof msg.event !== 'string' || msg.event === '')) return rejected('event', 'a track call needs an event name');
  if (call === 'alias' && !idOf(msg.previousId)) return rejected('previousId', 'an alias call needs previousId');
  if (call === 'group' && !idOf(msg.groupId)) return rejected('groupId', 'a group call needs groupId');
  const at = correctedTime(msg, ctx.sentAt, ctx.now);
  if (at === undefined) return rejected('timestamp', 'expected an ISO 8601 date-time');
  const time = new Date(at).toISOString();
  const properties = isRecord(msg.properties) ? msg.properties : {};

  const typed = call === 'track' ? findEventType(msg.event as string) : undefined;
  if (typed && typed.key !== 'generic' && typed !== segmentEvent) {
    // A typed event: its fields come from properties; who and when from the call.
    const userColumn = typed.fields.user_id ? columnType(typed.fields.user_id) : undefined;
    const numericUser = /^(Int|UInt)/.test(userColumn ?? '');
    const user = properties.user_id ?? (numericUser && userId && /^\d+$/.test(userId) ? Number(userId) : (userId ?? anonymousId));
    return { ok: true, type: typed, value: { ...properties, user_id: user, [typed.timeField]: time, event_id: msg.messageId } };
  }
  return {
    ok: true,
    type: segmentEvent,
    value: {
      event_id: msg.messageId,
      type: call,
      event: typeof msg.event === 'string' ? msg.event : '',
      name: typeof msg.name === 'string' ? msg.name : '',
      user_id: userId ?? '',
      anonymous_id: anonymousId ?? '',
      group_id: idOf(msg.groupId) ?? '',
      previous_id: idOf(msg.previousId) ?? '',
      properties: JSON.stringify(properties),
      traits: asJson(msg.traits),
      context: asJson(msg.context),
      timestamp: time,
      source: ctx.source?.name ?? '',
    },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
