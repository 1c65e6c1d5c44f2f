// Measuring tools: autocannon in its own process (never in the server's), and a process's CPU time and
// peak resident memory read from /proc.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Requests answered, and sent (those in flight when the load stopped are sent, not answered). */
  total: number;
  sent: number;
}

/**
 * autocannon -c <connections> -d <seconds> POSTing `body`, as a separate process. With `headers`, the requests go
 * out with each set of headers in turn (bench/load-requests.ts, autocannon's API in its own process).
 */
export async function autocannon(
  url: string,
  body: string,
  opts: { connections?: number; seconds?: number; headers?: Record<string, string>[] } = {},
): Promise<LoadResult> {
  const connections = opts.connections ?? 100;
  const seconds = opts.seconds ?? 8;
  const run = promisify(execFile);
  const options = { maxBuffer: 64 * 1024 * 1024 };
  let output: Promise<{ stdout: string }>;
  if (opts.headers) {
    const driver = run(process.execPath, ['--import', 'tsx', 'bench/load-requests.ts'], options);
    driver.child.stdin!.end(JSON.stringify({ url, body, headers: opts.headers, connections, seconds }));
    output = driver;
  } else {
    const args = ['-c', `${connections}`, '-d', `${seconds}`, '-m', 'POST', '-H', 'content-type=application/json'];
    output = run(process.execPath, ['node_modules/autocannon/autocannon.js', ...args, '-b', body, '-j', url], options);
  }
  const r = JSON.parse((await output).stdout);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    total: r.requests.total,
    sent: r.requests.sent,
  };
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function peakRssMiB(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/** The machine's CPU time so far from /proc/stat, in seconds: all of it, and what the hypervisor stole. */
function machineCpu(): { total: number; steal: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: fields.reduce((a, b) => a + b, 0) / 100, steal: fields[7]! / 100 };
}

/**
 * Runs `load` while sampling the processes: their summed CPU share of one core over the load, the largest peak
 * RSS, and the cores the hypervisor stole from this VM meanwhile (what makes runs of the same server differ).
 */
export async function measured<T>(
  pids: number | number[],
  load: () => Promise<T>,
): Promise<T & { cpu: number; rssMiB: number; steal: number }> {
  const all = typeof pids === 'number' ? [pids] : pids;
  const cpuNow = () => all.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpu0 = cpuNow();
  const machine0 = machineCpu();
  const t0 = Date.now();
  const r = await load();
  const seconds = (Date.now() - t0) / 1000;
  const cpu = (cpuNow() - cpu0) / seconds;
  const machine = machineCpu();
  return { ...r, cpu, rssMiB: Math.max(...all.map(peakRssMiB)), steal: (machine.steal - machine0.steal) / seconds };
}

export type Alternated = LoadResult & {
  cpuSeconds: number;
  cpuPerEvent: number;
  /** Each round's CPU seconds per event, in round order (the loads' rounds pair up: their differences). */
  rounds: number[];
  steal: number;
  rssMiB: number;
};
type Sums = Alternated & { wall: number; stolen: number; segments: number };
const ZERO: Sums = {
  rps: 0,
  p50: 0,
  p99: 0,
  non2xx: 0,
  errors: 0,
  total: 0,
  sent: 0,
  cpuSeconds: 0,
  cpuPerEvent: 0,
  rounds: [],
  steal: 0,
  rssMiB: 0,
  wall: 0,
  stolen: 0,
  segments: 0,
};

/**
 * Runs the loads in turn on one process, `rounds` times, the order reversed every other round (A B, B A, …) so that
 * a drift of the machine weighs on each alike; per load, the process's CPU seconds over its segments, and that ÷ the
 * events of the requests sent (each read `settleMs` after the load stops, once the requests in flight are done): the
 * CPU per event. Latencies are the worst segment's, req/s the segments' mean. `between` runs after each segment.
 */
export async function alternating<K extends string>(
  pid: number,
  loads: Record<K, () => Promise<LoadResult>>,
  opts: { rounds: number; eventsPerRequest: number; between?: () => Promise<unknown>; settleMs?: number },
): Promise<Record<K, Alternated>> {
  const names = Object.keys(loads) as K[];
  const sums = new Map<K, Sums>();
  for (let round = 0; round < opts.rounds; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      const cpu0 = cpuSeconds(pid);
      const machine0 = machineCpu();
      const t0 = Date.now();
      const r = await loads[name]();
      await new Promise((resolve) => setTimeout(resolve, opts.settleMs ?? 500));
      const cpu = cpuSeconds(pid) - cpu0;
      const wall = (Date.now() - t0) / 1000;
      const stolen = machineCpu().steal - machine0.steal;
      const s = sums.get(name) ?? ZERO;
      sums.set(name, {
        rps: s.rps + r.rps,
        p50: Math.max(s.p50, r.p50),
        p99: Math.max(s.p99, r.p99),
        non2xx: s.non2xx + r.non2xx,
        errors: s.errors + r.errors,
        total: s.total + r.total,
        sent: s.sent + r.sent,
        cpuSeconds: s.cpuSeconds + cpu,
        cpuPerEvent: 0,
        rounds: [...s.rounds, cpu / (r.sent * opts.eventsPerRequest)],
        steal: 0,
        rssMiB: 0,
        wall: s.wall + wall,
        stolen: s.stolen + stolen,
        segments: s.segments + 1,
      });
      await opts.between?.();
    }
  }
  const out = {} as Record<K, Alternated>;
  for (const [name, { wall, stolen, segments, ...s }] of sums) {
    out[name] = {
      ...s,
      rps: s.rps / segments,
      cpuPerEvent: s.cpuSeconds / (s.sent * opts.eventsPerRequest),
      steal: stolen / wall,
      rssMiB: peakRssMiB(pid),
    };
  }
  return out;
}
