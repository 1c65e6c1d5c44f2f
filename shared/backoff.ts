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
