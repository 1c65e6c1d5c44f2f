// IP addresses and ranges, runtime-neutral: strict parsing (IPv4 dotted quads without leading zeros; IPv6 with `::`
// and an IPv4 tail; an IPv4-mapped IPv6 address is its IPv4 address), the canonical text (RFC 5952 for IPv6), ranges
// in CIDR notation, and the proxies a collector trusts (TRUSTED_PROXIES): a number of hops, or their ranges. Written
// here rather than taken from a package so the collector core stays one set of ES modules on Node, Deno and Bun.

export interface IpAddress {
  readonly v4: boolean;
  /** 4 bytes (IPv4) or 16 (IPv6), network order. */
  readonly bytes: Uint8Array;
}

export interface IpRange {
  readonly v4: boolean;
  readonly bytes: Uint8Array;
  /** Leading bits that must match. */
  readonly prefix: number;
}

/** Which X-Forwarded-For entries count: those the nearest `hops` proxies wrote, or those written by proxies whose
 *  addresses fall in `ranges`. */
export type TrustedProxies = { readonly hops: number } | { readonly ranges: readonly IpRange[] };

function parseV4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

function parseV6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => ((out[i * 2] = g >> 8), (out[i * 2 + 1] = g & 0xff)));
  return out;
}

/** An address, or undefined when `text` is not exactly one. `::ffff:a.b.c.d` is taken as `a.b.c.d`. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseV4(text);
  if (v4) return { v4: true, bytes: v4 };
  const v6 = parseV6(text);
  if (!v6) return undefined;
  const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? { v4: true, bytes: v6.slice(12) } : { v4: false, bytes: v6 };
}

/** The canonical text: dotted quad, or RFC 5952 (lower case, no leading zeros, the longest run of zeros as `::`). */
export function formatIp(ip: IpAddress): string {
  if (ip.v4) return ip.bytes.join('.');
  const g = Array.from({ length: 8 }, (_, i) => (ip.bytes[i * 2]! << 8) | ip.bytes[i * 2 + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) ((best = i), (bestLen = j - i));
    i = j === i ? i + 1 : j;
  }
  const hex = (from: number, to: number) =>
    g
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(':');
  return best < 0 ? hex(0, 8) : `${hex(0, best)}::${hex(best + bestLen, 8)}`;
}

/** `10.0.0.0/8`, `fd00::/8`, or one address (its own range). Undefined when not one of these. */
export function parseIpRange(text: string): IpRange | undefined {
  const [addr = '', bits, ...more] = text.trim().split('/');
  const ip = parseIp(addr);
  if (!ip || more.length) return undefined;
  const max = ip.v4 ? 32 : 128;
  if (bits !== undefined && !/^(0|[1-9]\d{0,2})$/.test(bits)) return undefined;
  const prefix = bits === undefined ? max : Number(bits);
  return prefix > max ? undefined : { v4: ip.v4, bytes: ip.bytes, prefix };
}

export function inRange(ip: IpAddress, range: IpRange): boolean {
  if (ip.v4 !== range.v4) return false;
  const whole = range.prefix >> 3;
  for (let i = 0; i < whole; i++) if (ip.bytes[i] !== range.bytes[i]) return false;
  const rest = range.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip.bytes[whole]! & mask) === (range.bytes[whole]! & mask);
}

/** Named sets of ranges TRUSTED_PROXIES may use. */
const NAMED: Record<string, readonly string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7', '127.0.0.0/8', '::1/128'],
};

/**
 * TRUSTED_PROXIES as written: a whole number of hops (`0`: none), or ranges, comma-separated (CIDRs, addresses,
 * `loopback`, `private`). Undefined when nothing is trusted; a string saying what is wrong when it is neither.
 */
export function parseTrustedProxies(text: string): TrustedProxies | undefined | string {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^\d+$/.test(t)) return Number(t) === 0 ? undefined : { hops: Number(t) };
  const ranges: IpRange[] = [];
  for (const entry of t.split(',').map((e) => e.trim())) {
    const named = NAMED[entry.toLowerCase()];
    const parsed = named ? named.map((r) => parseIpRange(r)!) : [parseIpRange(entry)];
    if (!parsed[0]) return `${JSON.stringify(entry)} is not a CIDR, an address, loopback or private`;
    ranges.push(...(parsed as IpRange[]));
  }
  return { ranges };
}

/** The address in one X-Forwarded-For entry: bare, `[v6]`, `[v6]:port` or `v4:port`. */
export function parseForwardedAddress(entry: string): IpAddress | undefined {
  let text = entry.trim();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0 || !/^(:\d{1,5})?$/.test(text.slice(end + 1))) return undefined;
    text = text.slice(1, end);
  } else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.indexOf(':'));
  return parseIp(text);
}
