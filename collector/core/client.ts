// Who sent a request, as the collector sees it: its headers, and the client's address as the trusted proxy chain
// saw it — decided here only, for the per-IP rate limit and for the ingest steps alike.
import {
  formatIp,
  inRange,
  parseForwardedAddress,
  parseIp,
  type IpAddress,
  type TrustedProxies,
} from '../../shared/mod.ts';
import type { CoreRequest } from './types.ts';

export interface Client {
  /** The client's address (clientIp); undefined when the adapter knows none. */
  readonly ip: string | undefined;
  /** Case-insensitive header lookup. */
  header(name: string): string | undefined;
}

/**
 * The client's address, in canonical form. Without trusted proxies: the peer's, whatever X-Forwarded-For says. With
 * them, the chain is walked from the nearest hop (the peer) leftwards through X-Forwarded-For (each proxy appends the
 * address it saw) while the hop at hand is trusted (one of the first `hops`, or inside `ranges`); the first address
 * not trusted is the client. Entries left of it were written by the client and never count. A trusted hop that wrote
 * something that is no address is itself taken as the client, so no value a client writes becomes its identity.
 */
export function clientIp(req: CoreRequest, trusted?: TrustedProxies): string | undefined {
  const peer = req.ip || undefined;
  const peerIp = peer === undefined ? undefined : parseIp(peer);
  if (!trusted) return peerIp ? formatIp(peerIp) : peer;
  const forwarded = req.header('x-forwarded-for');
  if (!forwarded) return peerIp ? formatIp(peerIp) : peer;
  const chain = forwarded
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const isTrusted = (ip: IpAddress | undefined, hop: number) =>
    'hops' in trusted ? hop < trusted.hops : ip !== undefined && trusted.ranges.some((r) => inRange(ip, r));
  let current = peerIp;
  let hop = 0;
  for (let i = chain.length - 1; i >= 0 && isTrusted(current, hop); i--, hop++) {
    const next = parseForwardedAddress(chain[i]!);
    if (!next) break;
    current = next;
  }
  return current ? formatIp(current) : peer;
}

/** The key of a client's per-IP budget: its address, or for IPv6 its /64 (what one subscriber is given). */
export function rateKeyOf(ip: string | undefined): string {
  const parsed = ip === undefined ? undefined : parseIp(ip);
  if (!parsed) return ip ?? 'unknown';
  if (parsed.v4) return formatIp(parsed);
  const net = new Uint8Array(16);
  net.set(parsed.bytes.subarray(0, 8));
  return `${formatIp({ v4: false, bytes: net })}/64`;
}

/** The client of one request, its address worked out on first read: an adapter may format it on every read. */
export class RequestClient implements Client {
  #ip: string | undefined | null = null;
  constructor(
    private readonly req: CoreRequest,
    private readonly trusted: TrustedProxies | undefined,
  ) {}

  get ip(): string | undefined {
    if (this.#ip === null) this.#ip = clientIp(this.req, this.trusted);
    return this.#ip;
  }

  header(name: string): string | undefined {
    return this.req.header(name);
  }
}
