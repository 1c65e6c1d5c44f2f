// How long to wait before a failed batch is tried again: exponential in the number of deliveries,
// capped, with full jitter so many sinks do not retry in step.

export function retryDelayMs(deliveries: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, deliveries - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
