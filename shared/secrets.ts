// Keys that grant something (write keys, read keys, the console token), held and compared so that neither a log nor
// a timing reveals them: each is kept as its SHA-256 digest — configured as plaintext, or as `sha256:<64 hex>` so the
// plaintext need not sit in a Secret — and a key a request presents is hashed and compared with every digest in
// constant time. Runtime-neutral (@noble/hashes): the collector core uses it on Node, Deno and Bun.
import { sha256 } from '@noble/hashes/sha2.js';

const DIGEST = /^sha256:([0-9a-f]{64})$/i;
const utf8 = new TextEncoder();

/** The digest a configured key stands for: its own, or the one it gives as `sha256:<hex>`. */
export function digestOfKey(configured: string): Uint8Array {
  const given = DIGEST.exec(configured);
  if (!given) return sha256(utf8.encode(configured));
  const hex = given[1]!;
  return Uint8Array.from({ length: 32 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/** `sha256:<hex>` of a key: what to put in configuration instead of the key itself. */
export const keyDigestText = (key: string): string =>
  `sha256:${[...sha256(utf8.encode(key))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

/** Whether two digests are equal, in time independent of where they differ. */
function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** A set of keys, each with what it stands for (a source, a role); looked up by a presented key. */
export class KeySet<T> {
  readonly #entries: { digest: Uint8Array; value: T }[];
  constructor(entries: Iterable<readonly [key: string, value: T]>) {
    this.#entries = [...entries].map(([key, value]) => ({ digest: digestOfKey(key), value }));
  }

  get size(): number {
    return this.#entries.length;
  }

  /** What the presented key stands for, or undefined. Every entry is compared, whichever matches. */
  find(presented: string): T | undefined {
    const digest = sha256(utf8.encode(presented));
    let found: T | undefined;
    for (const e of this.#entries) if (sameDigest(e.digest, digest) && found === undefined) found = e.value;
    return found;
  }

  has(presented: string): boolean {
    return this.find(presented) !== undefined;
  }
}
