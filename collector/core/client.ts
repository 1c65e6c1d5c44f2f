// Who sent a request, as the collector sees it: its headers, and the client's address as the trusted proxy chain
// saw it — decided here only, for the per-IP rate limit and for the ingest steps alike.
import type { CoreRequest } from './types.ts';

export interface Client {
  /** The client's address (clientIp); undefined when the adapter knows none. */
  readonly ip: string | undefined;
  /** Case-insensitive header lookup. */
  header(name: string): string | undefined;
}

/** With TRUST_PROXY, the first address in X-Forwarded-For (the client, as the first proxy saw it); else the peer's
 *  address. */
export function clientIp(req: CoreRequest, trustProxy: boolean): string | undefined {
  return (trustProxy && req.header('x-forwarded-for')?.split(',')[0]?.trim()) || req.ip || undefined;
}

/** The client of one request, its address worked out on first read: an adapter may format it on every read. */
export class RequestClient implements Client {
  #ip: string | undefined | null = null;
  constructor(
    private readonly req: CoreRequest,
    private readonly trustProxy: boolean,
  ) {}

  get ip(): string | undefined {
    if (this.#ip === null) this.#ip = clientIp(this.req, this.trustProxy);
    return this.#ip;
  }

  header(name: string): string | undefined {
    return this.req.header(name);
  }
}
