// What an event keeps of its client's address: the address truncated to its network (IPv4 /24, IPv6 /48), whether
// it is a public one (only those are looked up in a geo database), and a keyed hash of it whose salt changes every
// day, so that one day's events of an address can be counted together and no two days' can be joined. Runtime-neutral:
// addresses parsed by ../../../shared/ip-address.ts, HMAC-SHA256 from @noble/hashes.
import { hmac, type _HMAC } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { formatIp, inRange, parseIp, parseIpRange, type IpAddress, type IpRange } from '../../../shared/mod.ts';

/** The last address truncated, and its network: the events of a batch share one address. */
let lastTruncated = '';
let lastNetwork = '';

/** The address with its host part zeroed: IPv4 to its /24, IPv6 to its /48; an IPv4-mapped IPv6 address (`::ffff:
 *  a.b.c.d`) is taken as IPv4. '' when `ip` is not an address. */
export function truncateIp(ip: string): string {
  if (ip === lastTruncated) return lastNetwork;
  const parsed = parseIp(ip);
  let network = '';
  if (parsed?.v4) network = `${parsed.bytes[0]}.${parsed.bytes[1]}.${parsed.bytes[2]}.0`;
  else if (parsed) {
    const net = new Uint8Array(16);
    net.set(parsed.bytes.subarray(0, 6));
    network = formatIp({ v4: false, bytes: net });
  }
  lastTruncated = ip;
  lastNetwork = network;
  return network;
}

/**
 * Ranges that are no one's place on the Internet (IANA special-purpose registries): this network, private (RFC 1918,
 * unique local fc00::/7), shared address space for carrier-grade NAT (100.64/10), loopback, link-local, benchmarking,
 * multicast, reserved, unspecified, discard-only — and the documentation ranges (192.0.2/24, 198.51.100/24,
 * 203.0.113/24, 2001:db8::/32): they are what examples and tests use, and no country is theirs.
 */
const NOT_PUBLIC: readonly IpRange[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  '100::/64',
  '2001:db8::/32',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
].map((r) => parseIpRange(r)!);

/** Whether `ip` is an address on the public Internet: false for the ranges above and for what is not an address. */
export function isPublicIp(ip: string): boolean {
  const parsed = parseIp(ip);
  return parsed !== undefined && isPublicAddress(parsed);
}

/** isPublicIp, for an address already parsed. */
export function isPublicAddress(ip: IpAddress): boolean {
  for (const range of NOT_PUBLIC) if (inRange(ip, range)) return false;
  return true;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const utf8 = new TextEncoder();

/** The HMAC of the day last asked for, keyed by that day's key, and the one each address's hash is worked in (the
 *  day's state copied into it: _cloneInto, public in @noble/hashes' types, spares an allocation per hash). */
let lastKey: Uint8Array | undefined;
let lastDay = '';
let dayMac: _HMAC<ReturnType<typeof sha256.create>> | undefined;
let work: _HMAC<ReturnType<typeof sha256.create>> | undefined;
const message = new Uint8Array(128);
const mac = new Uint8Array(32);
/** The last address hashed, and its hash: the events of a batch share one address. */
let lastIp = '';
let lastHash = '';

/**
 * A keyed hash of an address that changes every day: HMAC-SHA256 of `${day}|${ip}` under the day's key,
 * HMAC-SHA256(key, day); its first 16 bytes in hex (32 characters). `day` is any stable text for the day (the event's
 * UTC date, "2024-05-31"); `ip` is hashed as given (the collector's client address is canonical text already). The
 * key must be at least 16 bytes (a short one would let the hash be reversed by trying every address), and is not
 * changed in place once used.
 */
export function hashIp(ip: string, key: Uint8Array, day: string): string {
  if (key !== lastKey || day !== lastDay || !dayMac) {
    if (key.length < 16) throw new RangeError(`the IP hashing key has ${key.length} bytes; at least 16 are needed`);
    dayMac = hmac.create(sha256, hmac(sha256, key, utf8.encode(day)));
    work = dayMac.clone();
    lastKey = key;
    lastDay = day;
    lastIp = '';
  } else if (ip === lastIp) return lastHash;
  const text = `${day}|${ip}`;
  const { read, written } = utf8.encodeInto(text, message);
  const bytes = read === text.length ? message.subarray(0, written) : utf8.encode(text);
  dayMac._cloneInto(work).update(bytes).digestInto(mac);
  let out = '';
  for (let i = 0; i < 16; i++) out += HEX[mac[i]!];
  lastIp = ip;
  lastHash = out;
  return out;
}
