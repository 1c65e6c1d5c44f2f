// Event-time parsing: ISO 8601 (with or without zone) and ClickHouse's "YYYY-MM-DD hh:mm:ss",
// normalised to the UTC text ClickHouse DateTime columns read on every server version.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const MIN_MS = 0; // DateTime starts at the epoch
const MAX_MS = Date.UTC(2105, 11, 31, 23, 59, 59); // and ends in 2106

export type ZoneRule = 'required' | 'optional';

/** Milliseconds since the epoch, or an error message. Zone-less times are taken as UTC. */
export function parseEventTime(text: string, zone: ZoneRule): number | string {
  const m = ISO.exec(text.trim());
  if (!m) return 'expected an ISO 8601 date-time such as 2020-01-01T14:16:34Z';
  const [, y, mo, d, h, mi, s = '0', frac = '', tz] = m;
  if (!tz && zone === 'required') return 'expected a time zone (Z or ±hh:mm) in the date-time';
  const local = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s, Number(frac.padEnd(3, '0').slice(0, 3)));
  const check = new Date(local);
  if (check.getUTCDate() !== +d! || check.getUTCMonth() !== +mo! - 1 || +h! > 23 || +mi! > 59 || +s > 59) {
    return 'not a real calendar date-time';
  }
  let offsetMin = 0;
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  const ms = local - offsetMin * 60_000;
  if (ms < MIN_MS || ms > MAX_MS) return 'date-time out of range (1970-01-01 … 2105-12-31)';
  return ms;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digits at [from, to) as a number, or -1 if any is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The stored text of a time the client already wrote in UTC — "YYYY-MM-DDThh:mm:ss[.f]Z", or zone-less where
 * the zone is optional — read without a regex or a Date (the common case, and 20× cheaper than parsing).
 * undefined for anything else, valid or not: parseEventTime then decides. Agrees with formatUtc(parseEventTime()).
 */
export function utcTextOf(text: string, zone: ZoneRule): string | undefined {
  const n = text.length;
  const last = text.charCodeAt(n - 1) | 0x20; // 'z' either case
  if (last === 0x7a) {
    // "…ssZ", or a fraction of 1 to 9 digits before the Z (dropped: DateTime holds seconds).
    const fraction = n >= 22 && n <= 30 && (text[19] === '.' || text[19] === ',') && digits(text, 20, n - 1) >= 0;
    if (n !== 20 && !fraction) return undefined;
  } else if (n !== 19 || zone === 'required') return undefined;
  const t = text[10];
  if (
    text[4] !== '-' ||
    text[7] !== '-' ||
    (t !== 'T' && t !== 't' && t !== ' ') ||
    text[13] !== ':' ||
    text[16] !== ':'
  )
    return undefined;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 7);
  const d = digits(text, 8, 10);
  const h = digits(text, 11, 13);
  const mi = digits(text, 14, 16);
  const s = digits(text, 17, 19);
  if (y < 1970 || y > 2105 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return undefined;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS[mo - 1]! + (leap ? 1 : 0)) return undefined;
  return `${text.slice(0, 10)} ${text.slice(11, 19)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "YYYY-MM-DD hh:mm:ss" in UTC; with `millis`, ".mmm" appended (DateTime64(3)). */
export function formatUtc(ms: number, millis = false): string {
  const d = new Date(ms);
  const base =
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return millis ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base;
}
