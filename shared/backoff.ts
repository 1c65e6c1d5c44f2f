// Waiting between attempts, the same way everywhere something is retried: a jittered exponential delay, and a sleep
// that wakes early when the process is stopping.

/** Read by a loop between its steps: true once the process is stopping. */
export interface StopSignal {
  readonly stopped: boolean;
}

export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Sleeps `ms`, waking early when the signal says stop; calls `every` each `everyMs` meanwhile (keep-alives). */
export function pause(ms: number, signal: StopSignal, every?: () => void, everyMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const end = Date.now() + ms;
    let nextTick = Date.now() + everyMs;
    const tick = () => {
      if (signal.stopped || Date.now() >= end) return resolve();
      if (every && Date.now() >= nextTick) (every(), (nextTick = Date.now() + everyMs));
      setTimeout(tick, Math.min(100, end - Date.now()));
    };
    tick();
  });
}

interface RetryingOptions {
  /** Whether this failure is worth waiting through; any other is thrown at once. */
  passing(err: unknown): boolean;
  baseMs: number;
  maxMs: number;
  /** Give up (throw the last failure) once the next wait would end past this long. */
  withinMs?: number;
  /** Told before each wait (to log it). */
  onRetry?(err: unknown, attempt: number, delayMs: number): void;
  signal?: StopSignal;
}

/** Runs `step` until it succeeds, waiting with the shared backoff through the failures `passing` accepts. */
export async function retrying<T>(step: () => Promise<T>, o: RetryingOptions): Promise<T> {
  const until = o.withinMs === undefined ? Infinity : Date.now() + o.withinMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      const delay = retryDelayMs(attempt, o.baseMs, o.maxMs);
      if (!o.passing(err) || Date.now() + delay > until || o.signal?.stopped) throw err;
      o.onRetry?.(err, attempt, delay);
      await pause(delay, o.signal ?? { stopped: false });
    }
  }
}
