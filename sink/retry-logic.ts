// The retry logic of every target, as values: after an insert into ClickHouse, a publish to a NATS subject or a
// POST to a webhook, the answer becomes one Decision — `ok`, `retry` (the target or the network failed; the data
// is fine) or `dead-letter` (the target refuses the data itself) — and a retry waits with jittered backoff.
import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';
import { errorCode } from '../shared/clickhouse/mod.ts';
import type { Decision, Retry } from '../streams/mod.ts';

const ok: Decision = { kind: 'ok' };

/** ClickHouse error codes that mean "this data can never be inserted into this table". */
const DATA_ERRORS = new Map<number, string>([
  [6, 'CANNOT_PARSE_TEXT'],
  [26, 'CANNOT_PARSE_QUOTED_STRING'],
  [27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  [33, 'CANNOT_READ_ALL_DATA'],
  [38, 'CANNOT_PARSE_DATE'],
  [41, 'CANNOT_PARSE_DATETIME'],
  [53, 'TYPE_MISMATCH'],
  [69, 'ARGUMENT_OUT_OF_BOUND'],
  [70, 'CANNOT_CONVERT_TYPE'],
  [72, 'CANNOT_PARSE_NUMBER'],
  [117, 'INCORRECT_DATA'],
  [131, 'TOO_LARGE_STRING_SIZE'],
  [321, 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  [349, 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
  [376, 'CANNOT_PARSE_UUID'],
  [691, 'UNKNOWN_ELEMENT_OF_ENUM'],
]);

/** After an INSERT: data errors are dead letters; everything else (the network, the server's resources, a missing
 *  table, a read-only replica) is retried — the server or its schema can recover, and the data stays. */
export function decideInsert(err?: unknown): Decision {
  if (err === undefined) return ok;
  const reason = oneLine(err);
  const code = errorCode(err);
  return code !== undefined && DATA_ERRORS.has(code)
    ? { kind: 'dead-letter', reason, code }
    : { kind: 'retry', reason, code };
}

/** The tables that must exist again before a retry can succeed. */
export const isMissingSchema = (d: Decision) => d.kind === 'retry' && (d.code === 60 || d.code === 81);

/** After a JetStream publish (the NATS relay): a message the server can never take (over its max_payload) is a dead
 *  letter; anything else — no responders, a timeout, a full stream, a closed connection — passes, so retry. */
export function decidePublish(err?: unknown): Decision {
  if (err === undefined) return ok;
  const reason = oneLine(err);
  if (err instanceof errors.InvalidArgumentError) return { kind: 'dead-letter', reason };
  return { kind: 'retry', reason, code: err instanceof JetStreamApiError ? err.code : undefined };
}

/** After a webhook's answer: 2xx delivered; 408, 429 and 5xx retried (honouring Retry-After); any other status
 *  means the receiver refuses the batch: dead letters. A redirect (3xx) is never followed — a signed batch goes only
 *  where the relay is configured to send it — and is retried: it says where the receiver is, not that the data is
 *  bad, so like a 5xx it may pass (a receiver moving, a maintenance page) and, if it does not, the batch becomes a
 *  dead letter after the relay's last attempt, to be redriven once its URL is fixed. */
export function decideHttp(status: number, retryAfter: string | null, now = Date.now()): Decision {
  if (status >= 200 && status < 300) return ok;
  if (status >= 300 && status < 400)
    return {
      kind: 'retry',
      reason: `answered ${status}, a redirect (not followed)`,
      code: status,
      retryAfterMs: retryAfterMs(retryAfter, now),
    };
  const reason = `answered ${status}`;
  if (status === 408 || status === 429 || status >= 500)
    return { kind: 'retry', reason, code: status, retryAfterMs: retryAfterMs(retryAfter, now) };
  return { kind: 'dead-letter', reason, code: status };
}

/** A request that got no answer at all (refused, reset, timed out): retried. */
export function decideNoAnswer(err: unknown): Retry {
  const cause = (err as { cause?: unknown })?.cause;
  return {
    kind: 'retry',
    reason: `got no answer: ${oneLine(err)}${cause instanceof Error ? ` (${oneLine(cause)})` : ''}`,
  };
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text
    .replace(/\s+/g, ' ')
    .replace(/, e\.what\(\) = DB::Exception/, '')
    .trim()
    .slice(0, 500);
}
