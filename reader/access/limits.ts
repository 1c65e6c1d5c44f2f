// How much one reading process takes on at once: a Gate caps work in flight (ClickHouse reads, live tails) and a
// Throttle caps attempts over time (sign-ins, per client and overall). Past either, the request is refused at once
// with how long to wait (a 429 with Retry-After) rather than queued: memory stays bounded under any load. Pure.

/** At most `limit` holders at once; enter() gives a release (call it once), or undefined when full. */
export class Gate {
  #held = 0;
  constructor(readonly limit: number) {}

  get held(): number {
    return this.#held;
  }

  enter(): (() => void) | undefined {
    if (this.#held >= this.limit) return undefined;
    this.#held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held--;
    };
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets: `burst` attempts at once, refilled at `perMinute`. */
class Buckets {
  readonly #buckets = new Map<string, Bucket>();
  constructor(
    readonly burst: number,
    readonly perMinute: number,
    /** Clients remembered at most (the oldest forgotten first: a forgotten client starts full, never blocked). */
    readonly maxKeys = 10_000,
  ) {}

  /** Takes one attempt for `key` at `now` (ms): 0 when allowed, else the seconds until one is available. */
  take(key: string, now: number): number {
    const perMs = this.perMinute / 60_000;
    let b = this.#buckets.get(key);
    if (b) this.#buckets.delete(key);
    else {
      if (this.#buckets.size >= this.maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
      b = { tokens: this.burst, at: now };
    }
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * perMs);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
  }
}

/** Attempts per client and overall: an attempt counts against both; refused when either is spent. */
export class Throttle {
  readonly #client: Buckets;
  readonly #overall: Buckets;
  constructor(opts: {
    perClient: { burst: number; perMinute: number };
    overall: { burst: number; perMinute: number };
  }) {
    this.#client = new Buckets(opts.perClient.burst, opts.perClient.perMinute);
    this.#overall = new Buckets(opts.overall.burst, opts.overall.perMinute);
  }

  /** 0 when this attempt may go ahead, else the seconds to wait. */
  attempt(client: string, now = Date.now()): number {
    const mine = this.#client.take(client, now);
    if (mine > 0) return mine;
    return this.#overall.take('', now);
  }
}
