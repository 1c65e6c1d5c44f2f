// Write keys: which source a request comes from. The key is read from HTTP Basic (as the username,
// like Segment), a Bearer token, an X-Write-Key header, or a Segment body's `writeKey`. Keys are held as digests
// (a source's key may be configured as `sha256:<hex>`) and compared in constant time (shared/secrets.ts), never
// logged or echoed; with no sources configured, ingestion is open.
import { KeySet } from '../../shared/mod.ts';
import type { CoreRequest, Source } from './types.ts';
import { HttpError } from './http-error.ts';

function writeKeyOf(req: CoreRequest, bodyWriteKey?: unknown): string | undefined {
  const auth = req.header('authorization');
  if (auth) {
    const [scheme, value = ''] = auth.trim().split(/\s+/, 2);
    if (/^basic$/i.test(scheme!)) {
      try {
        return atob(value).split(':')[0] || undefined;
      } catch {
        return undefined;
      }
    }
    if (/^bearer$/i.test(scheme!)) return value || undefined;
  }
  return req.header('x-write-key') ?? (typeof bodyWriteKey === 'string' ? bodyWriteKey : undefined);
}

export class Sources {
  readonly #byKey: KeySet<Source>;
  constructor(sources: readonly Source[]) {
    this.#byKey = new KeySet(sources.map((s) => [s.key, s] as const));
  }

  get open(): boolean {
    return this.#byKey.size === 0;
  }

  /** The request's source; undefined when ingestion is open; 401 when a key is required and wrong. */
  identify(req: CoreRequest, bodyWriteKey?: unknown): Source | undefined {
    if (this.open) return undefined;
    const key = writeKeyOf(req, bodyWriteKey);
    const source = key === undefined ? undefined : this.#byKey.find(key);
    if (source) return source;
    throw new HttpError(
      401,
      key === undefined ? 'a write key is required' : 'unknown write key',
      {},
      { 'www-authenticate': 'Basic realm="edge-events"' },
    );
  }
}
