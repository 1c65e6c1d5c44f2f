// An open-loop load generator: it sends at the rate asked whatever the collector answers (a slow server does not
// slow it down; what it could not send because too many requests were already waiting is counted as skipped), with
// an event mix drawn from the catalog — every type in turn, each event made from its spec (exampleEvent). Wire:
// HTTP POST /v1/events/{type} with a JSON array of events.
import { typedEventsRoute, type Catalog } from '../shared/mod.ts';
import { exampleEvent } from '../shared/docs/mod.ts';

interface LoadgenOptions {
  /** The collector's base URL. */
  url: string;
  /** Events per second. */
  rps: number;
  /** Events per request. */
  batch: number;
  catalog: Catalog;
  /** Stop after this long; runs until stopped when absent. */
  durationSeconds?: number;
  writeKey?: string;
  /** Requests allowed to wait for an answer at once; past it, sends are skipped (and counted). */
  maxInflight?: number;
}

interface LoadgenStats {
  sent: number;
  accepted: number;
  errors: number;
  skipped: number;
  p50_ms: number;
  p99_ms: number;
  seconds: number;
}

interface Loadgen {
  stats(): LoadgenStats;
  /** Resolves when the duration is over (or stop() was called) and every request has its answer. */
  done: Promise<LoadgenStats>;
  stop(): Promise<LoadgenStats>;
}

export function startLoadgen(opts: LoadgenOptions): Loadgen {
  const types = opts.catalog.types;
  const started = performance.now();
  const latencies: number[] = [];
  let sent = 0;
  let accepted = 0;
  let errors = 0;
  let skipped = 0;
  let inflight = 0;
  let n = 0;
  let stopped = false;
  const waiting = new Set<Promise<void>>();
  const maxInflight = opts.maxInflight ?? 512;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.writeKey) headers.authorization = `Bearer ${opts.writeKey}`;

  const quantile = (q: number) => {
    if (latencies.length === 0) return 0;
    const sorted = [...latencies].sort((a, b) => a - b);
    return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  };
  const stats = (): LoadgenStats => ({
    sent,
    accepted,
    errors,
    skipped,
    p50_ms: quantile(0.5),
    p99_ms: quantile(0.99),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });

  const send = () => {
    const type = types[n % types.length]!;
    const events = Array.from({ length: opts.batch }, () => exampleEvent(type, n++));
    sent += events.length;
    inflight++;
    const t0 = performance.now();
    const request = fetch(`${opts.url}${typedEventsRoute(type.key)}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(events),
    })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.status === 202) accepted += events.length;
        else errors += events.length;
      })
      .catch(() => void (errors += events.length))
      .finally(() => {
        inflight--;
        latencies.push(performance.now() - t0);
        if (latencies.length > 10_000) latencies.splice(0, latencies.length - 10_000);
        waiting.delete(request);
      });
    waiting.add(request);
  };

  let finish!: (s: LoadgenStats) => void;
  const done = new Promise<LoadgenStats>((resolve) => (finish = resolve));
  // Every 10 ms, send what the rate owes by now: the schedule is the clock's, not the answers'.
  const timer = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    if (stopped || (opts.durationSeconds !== undefined && elapsed >= opts.durationSeconds)) return void end();
    const owed = Math.floor(opts.rps * elapsed) - sent - skipped;
    for (let i = 0; i < Math.floor(owed / opts.batch); i++) {
      if (inflight >= maxInflight) skipped += opts.batch;
      else send();
    }
  }, 10);
  const end = async () => {
    stopped = true;
    clearInterval(timer);
    await Promise.all(waiting);
    finish(stats());
  };
  return {
    stats,
    done,
    async stop() {
      stopped = true;
      return done;
    },
  };
}

/** The live line: rate, counts and latency. */
export const describeLoad = (s: LoadgenStats, rps: number) =>
  `loadgen ${rps}/s  ${s.seconds}s  sent ${s.sent}  accepted ${s.accepted}  errors ${s.errors}  ` +
  `skipped ${s.skipped}  p50 ${s.p50_ms} ms  p99 ${s.p99_ms} ms`;
