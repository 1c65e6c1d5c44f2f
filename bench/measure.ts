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
  total: number;
}

/** autocannon -c <connections> -d <seconds> POSTing `body`, as a separate process. */
export async function autocannon(
  url: string,
  body: string,
  opts: { connections?: number; seconds?: number } = {},
): Promise<LoadResult> {
  const args = [
    'node_modules/autocannon/autocannon.js',
    '-c',
    String(opts.connections ?? 100),
    '-d',
    String(opts.seconds ?? 8),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    body,
    '-j',
    url,
  ];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  const r = JSON.parse(stdout);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    total: r.requests.total,
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
