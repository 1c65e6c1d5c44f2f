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

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "YYYY-MM-DD hh:mm:ss" in UTC; with `millis`, ".mmm" appended (DateTime64(3)). */
export function formatUtc(ms: number, millis = false): string {
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return millis ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base;
}
