// Token buckets per key (a write key's source, a client IP): `rps` tokens a second up to `burst`.
// The table is bounded: the least recently used keys are forgotten (they come back full).

const MAX_KEYS = 100_000;

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly rps: number,
    readonly burst: number,
  ) {}

  /** Takes `n` tokens, or says how many seconds until they would be there. */
  take(key: string, n = 1, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    let b = this.#buckets.get(key);
    if (b) this.#buckets.delete(key);
    else b = { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rps);
    b.at = now;
    this.#buckets.set(key, b);
    if (this.#buckets.size > MAX_KEYS) this.#buckets.delete(this.#buckets.keys().next().value!);
    if (b.tokens >= n || (b.tokens === this.burst && n > this.burst)) {
      b.tokens -= n;
      return { ok: true };
    }
    // A take over the burst goes through from a full bucket: the wait is until it is full.
    const wanted = Math.min(n, this.burst);
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((wanted - b.tokens) / this.rps)) };
  }
}
