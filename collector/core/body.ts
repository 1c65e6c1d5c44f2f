// Request bodies → candidate events: a JSON object or array, NDJSON (one event per line), or a form
// (urlencoded or multipart, values as strings). Malformed lines are per-event errors, not fatal. JSON nested deeper
// than MAX_JSON_DEPTH is refused before it is parsed: later steps (validation, serialising) recurse into values.
import type { Issue } from '../../shared/mod.ts';
import { HttpError } from './http-error.ts';

export type BodyItem = { ok: true; value: unknown } | { ok: false; issues: Issue[] };

interface ParsedBody {
  items: BodyItem[];
  /** Several events were sent (array or NDJSON): answer per event. */
  batch: boolean;
  /** Values came from a form and are all strings. */
  form: boolean;
}

// text/plain: what navigator.sendBeacon sends for a string body (no preflight needed).
const JSON_TYPES = new Set(['', 'application/json', 'text/json', 'text/plain']);
const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
]);
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Objects and arrays inside each other, at most: a Segment batch of events with nested properties is ~6. */
export const MAX_JSON_DEPTH = 64;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether JSON text nests objects and arrays deeper than MAX_JSON_DEPTH (brackets inside strings do not count). A
 *  text shorter than the limit cannot, and is not scanned. */
export function nestedTooDeep(text: string): boolean {
  if (text.length <= MAX_JSON_DEPTH) return false;
  let depth = 0;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // To the closing quote, found natively: one preceded by an odd run of backslashes is escaped.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false;
        let k = i - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((i - 1 - k) % 2 === 0) break;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return false;
}

const TOO_DEEP = `invalid JSON: nested deeper than ${MAX_JSON_DEPTH} levels`;

const SUPPORTED_TYPES = [
  'application/json',
  'text/plain (JSON, for sendBeacon)',
  'application/x-ndjson',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
];

export async function parseBody(contentType: string | undefined, body: Uint8Array): Promise<ParsedBody> {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const known =
    JSON_TYPES.has(media) ||
    media.endsWith('+json') ||
    NDJSON_TYPES.has(media) ||
    media === 'application/x-www-form-urlencoded' ||
    media === 'multipart/form-data';
  if (!known) {
    throw new HttpError(415, `unsupported content type ${JSON.stringify(media)}`, { supported: SUPPORTED_TYPES });
  }
  if (body.byteLength === 0) throw new HttpError(400, 'empty body: expected an event');
  if (media === 'multipart/form-data')
    return { items: [await multipart(contentType!, body)], batch: false, form: true };
  const text = decode(body);
  if (NDJSON_TYPES.has(media)) return { items: ndjson(text), batch: true, form: false };
  if (media === 'application/x-www-form-urlencoded') {
    return { items: [{ ok: true, value: Object.fromEntries(new URLSearchParams(text)) }], batch: false, form: true };
  }
  if (nestedTooDeep(text)) throw new HttpError(400, TOO_DEEP);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `invalid JSON: ${(err as Error).message}`);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new HttpError(400, 'empty array: expected at least one event');
    return { items: value.map((v) => ({ ok: true, value: v })), batch: true, form: false };
  }
  return { items: [{ ok: true, value }], batch: false, form: false };
}

function decode(body: Uint8Array): string {
  try {
    return decoder.decode(body);
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8');
  }
}

function ndjson(text: string): BodyItem[] {
  const items: BodyItem[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (nestedTooDeep(line)) {
      items.push({ ok: false, issues: [{ path: '', message: TOO_DEEP }] });
      continue;
    }
    try {
      items.push({ ok: true, value: JSON.parse(line) });
    } catch (err) {
      items.push({ ok: false, issues: [{ path: '', message: `invalid JSON: ${(err as Error).message}` }] });
    }
  }
  if (items.length === 0) throw new HttpError(400, 'empty body: expected at least one event');
  return items;
}

async function multipart(contentType: string, body: Uint8Array): Promise<BodyItem> {
  let form: FormData;
  try {
    form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
  } catch (err) {
    throw new HttpError(400, `invalid multipart body: ${(err as Error).message}`);
  }
  const value: Record<string, string> = {};
  for (const [name, field] of form.entries()) {
    if (typeof field !== 'string')
      throw new HttpError(400, `field ${JSON.stringify(name)} is a file; events take text fields only`);
    value[name] = field;
  }
  return { ok: true, value };
}
