// Segment's HTTP tracking API, mapped onto edge-events: a call's messageId becomes the event_id, its
// time is corrected for client clock skew (sentAt), a track call naming a typed schema is stored as
// that type, and every other call lands in segment_events with its properties, traits and context.
import * as v from 'valibot';
import {
  columnType,
  grantedOf,
  isRecord,
  parseEventTime,
  segmentCalls,
  segmentMessage,
  type Catalog,
  type EventType,
  type Granted,
  type SegmentMessage,
} from '../../shared/mod.ts';
import type { Source } from './types.ts';
import type { BodyItem } from './body.ts';
import { HttpError } from './http-error.ts';

export type SegmentRoute = (typeof segmentCalls)[number] | 'batch';

/** The Segment routes, with the one-letter forms analytics.js uses. */
export const SEGMENT_ROUTES: Readonly<Record<string, SegmentRoute>> = Object.fromEntries(
  [...segmentCalls, 'batch' as const].flatMap((c) => [
    [`/v1/${c}`, c],
    [`/v1/${c[0]}`, c],
  ]),
);

/** A candidate event; `client`: who it is about when the call says so itself (a Segment call's context.ip and
 *  context.userAgent, sent by a server SDK for a browser), which the enrichment steps prefer to the request's. */
export type IngestItem = BodyItem & {
  type?: EventType;
  client?: { ip?: string; userAgent?: string; consent?: Granted };
};

interface SegmentBody {
  messages: unknown[];
  batch: boolean;
  writeKey?: unknown;
  sentAt?: unknown;
}

/** The messages of a Segment request body (one call, or `{ batch: [...] }`). */
export function segmentBody(route: SegmentRoute, body: unknown): SegmentBody {
  if (!isRecord(body)) throw new HttpError(400, 'expected a JSON object');
  if (route !== 'batch') return { messages: [body], batch: false, writeKey: body.writeKey };
  if (!Array.isArray(body.batch) || body.batch.length === 0)
    throw new HttpError(400, 'expected a non-empty "batch" array');
  return { messages: body.batch, batch: true, writeKey: body.writeKey, sentAt: body.sentAt };
}

const idOf = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** Epoch ms of a time the schema let through (zone-less is UTC), or NaN. */
const msOf = (time: string | undefined) => {
  const ms = time === undefined ? NaN : parseEventTime(time, 'optional');
  return typeof ms === 'number' ? ms : NaN;
};
/** The Date range ClickHouse's DateTime holds (and JavaScript can print). */
const LAST_MS = Date.UTC(2105, 11, 31, 23, 59, 59);

/** When it happened on the server's clock: timestamp + (received − sentAt); undefined when that leaves the range. */
function correctedTime(msg: SegmentMessage, sentAt: unknown, now: number): number | undefined {
  const given = msOf(msg.timestamp ?? msg.originalTimestamp);
  if (Number.isNaN(given)) return now;
  const sent = msOf(msg.sentAt ?? (typeof sentAt === 'string' ? sentAt : undefined));
  const at = Number.isNaN(sent) ? given : given + (now - sent);
  return at >= 0 && at <= LAST_MS ? at : undefined;
}

export function segmentItem(
  route: SegmentRoute,
  input: unknown,
  ctx: { now: number; sentAt?: unknown; source?: Source; catalog: Catalog },
): IngestItem {
  if (!isRecord(input)) return { ok: false, issues: [{ path: '', message: 'expected a JSON object' }] };
  const parsed = v.safeParse(segmentMessage, route === 'batch' ? input : { ...input, type: route });
  if (!parsed.success)
    return { ok: false, issues: parsed.issues.map((i) => ({ path: v.getDotPath(i) ?? '', message: i.message })) };
  const msg = parsed.output;
  const userId = idOf(msg.userId);
  const anonymousId = idOf(msg.anonymousId);
  const at = correctedTime(msg, ctx.sentAt, ctx.now);
  if (at === undefined)
    return {
      ok: false,
      issues: [{ path: 'timestamp', message: 'corrected for the clock skew of sentAt, out of range' }],
    };
  const time = new Date(at).toISOString();
  const properties = msg.properties ?? {};
  // A raw address is never stored as sent: the enrichment steps take it (geo; `ip` truncates or hashes it).
  const { ip, ...context } = msg.context ?? {};
  const userAgent = context.userAgent;
  const preferences = (context.consent as { categoryPreferences?: unknown } | undefined)?.categoryPreferences;
  const consent = preferences === undefined ? undefined : grantedOf(preferences);
  if (typeof consent === 'string')
    return { ok: false, issues: [{ path: 'context.consent.categoryPreferences', message: consent }] };
  const client =
    typeof ip === 'string' || typeof userAgent === 'string' || consent
      ? {
          ...(typeof ip === 'string' ? { ip } : {}),
          ...(typeof userAgent === 'string' ? { userAgent } : {}),
          ...(consent ? { consent } : {}),
        }
      : undefined;

  const { catalog } = ctx;
  const typed = msg.type === 'track' ? catalog.find(msg.event!) : undefined;
  if (typed && typed.role === undefined) {
    // A typed event: its fields come from properties; who and when from the call.
    const userColumn = typed.fields.user_id ? columnType(typed.fields.user_id) : undefined;
    const numericUser = /^(Int|UInt)/.test(userColumn ?? '');
    const user =
      properties.user_id ?? (numericUser && userId && /^\d+$/.test(userId) ? Number(userId) : (userId ?? anonymousId));
    return {
      ok: true,
      type: typed,
      value: { ...properties, user_id: user, [typed.timeField]: time, event_id: msg.messageId || undefined },
      client,
    };
  }
  if (!catalog.segment) {
    return {
      ok: false,
      issues: [{ path: 'event', message: 'no typed schema for this call, and the catalog has no segment type' }],
    };
  }
  return {
    ok: true,
    type: catalog.segment,
    value: {
      event_id: msg.messageId || undefined,
      type: msg.type,
      event: msg.event ?? '',
      name: msg.name ?? '',
      user_id: userId ?? '',
      anonymous_id: anonymousId ?? '',
      group_id: idOf(msg.groupId) ?? '',
      previous_id: idOf(msg.previousId) ?? '',
      properties: JSON.stringify(properties),
      traits: JSON.stringify(msg.traits ?? {}),
      context: JSON.stringify(context),
      timestamp: time,
      source: ctx.source?.name ?? '',
    },
    client,
  };
}
