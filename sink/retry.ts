// What to do after an insert, as a value: `ok`, `retry` (the server or the network failed; the data
// is fine) or `dead-letter` (ClickHouse rejects the data itself), plus how long to wait before a retry.

export type Decision =
  | { kind: 'ok' }
  | { kind: 'retry'; reason: string; code?: number }
  | { kind: 'dead-letter'; reason: string; code?: number };

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

/** Everything else is retried: the server, its resources or its schema can recover; the data stays. */
const NETWORK = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|Timeout error|other side closed|aborted/i;

/** The ClickHouse error code: `.code` on ClickHouseError, or parsed from the text of old servers. */
export function errorCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  if (typeof e?.code === 'number') return e.code;
  const m = /Code: (\d+)[.,]/.exec(String(e?.message ?? ''));
  return m ? Number(m[1]) : undefined;
}

export function decide(err?: unknown): Decision {
  if (err === undefined) return { kind: 'ok' };
  const message = oneLine(err);
  const code = errorCode(err);
  if (code !== undefined && DATA_ERRORS.has(code)) return { kind: 'dead-letter', reason: message, code };
  if (code === undefined && NETWORK.test(`${(err as { code?: string }).code ?? ''} ${message}`)) {
    return { kind: 'retry', reason: message };
  }
  return { kind: 'retry', reason: message, code };
}

/** The tables that must exist again before a retry can succeed. */
export const isMissingSchema = (d: Decision) => d.kind === 'retry' && (d.code === 60 || d.code === 81);

export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').replace(/, e\.what\(\) = DB::Exception/, '').trim().slice(0, 500);
}
