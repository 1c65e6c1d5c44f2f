// The collector, the sink and the archiver as real processes (`npm run collector|sink|archiver`), so tests can
// SIGTERM them, kill -9 them and start them again on the same ports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnOwned, waitFor, type OwnedProcess } from '../../local/mod.ts';
import { buildBundles } from '../../tools/build.ts';

export type Role = 'collector' | 'sink' | 'archiver' | 'collector:deno' | 'collector:bun';

export interface ServiceProcess {
  readonly role: Role;
  readonly pid: number;
  /** Exit code (or signal name) once it has exited. */
  readonly exited: Promise<number | string>;
  /** Its log so far. */
  log(): string;
  /** SIGTERM, and the exit code. */
  terminate(): Promise<number | string>;
  kill(): Promise<void>;
  /** Peak resident memory so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** Starts it again with the same environment and waits until it is ready. */
  start(): Promise<void>;
}

/** The command line of `npm run <role>` (package.json), so tests run exactly what production runs. */
function commandOf(role: Role): [string, string[]] {
  const script: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts[role];
  const [bin, ...args] = script.split(/\s+/);
  if (bin === 'node') return [process.execPath, args];
  if (bin === 'deno' || bin === 'bun') return [`node_modules/.bin/${bin}`, args];
  throw new Error(`npm run ${role} must start with node, deno or bun: ${script}`);
}

let built: Promise<unknown> | undefined;

/** Every service a test spawned and has not seen exit: a test that failed part-way leaves them to the suite. */
const spawned = new Set<ServiceProcess>();

/** Stops what a test spawned and left running (SIGTERM, then SIGKILL): a child left alive keeps the test file
 *  from exiting. */
export async function stopLeftServices(): Promise<void> {
  await Promise.all([...spawned].map((s) => s.terminate()));
  spawned.clear();
}

/**
 * `env` must set PORT (collector), SINK_PORT (sink) or ARCHIVE_PORT (archiver) to a fixed port; logs go to `dir`.
 * Started means `readyPath` answers 2xx (/healthz: live, for a process that waits for NATS before it is ready).
 */
export async function spawnService(
  role: Role,
  env: Record<string, string>,
  dir: string,
  opts: { readyPath?: string } = {},
): Promise<ServiceProcess> {
  const readyPath = opts.readyPath ?? '/readyz';
  const port = role.startsWith('collector') ? env.PORT : role === 'archiver' ? env.ARCHIVE_PORT : env.SINK_PORT;
  if (!port || port === '0') throw new Error(`${role}: give it a fixed port so a restart finds it again`);
  let proc: OwnedProcess;
  const start = async () => {
    const [bin, args] = commandOf(role);
    // `npm run collector|sink` build their bundles first (pre-scripts); spawned directly, so build here.
    if (bin === process.execPath) await (built ??= buildBundles());
    proc = spawnOwned(bin, args, join(dir, `${role}.log`), {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    });
    const died = proc.exited.then((code) => {
      throw new Error(`${role} exited (${code}) before it was ready; see ${join(dir, `${role}.log`)}`);
    });
    const ready = waitFor(
      `${role} ${readyPath}`,
      async () => ((await fetch(`http://127.0.0.1:${port}${readyPath}`)).ok ? true : undefined),
      30_000,
    );
    await Promise.race([ready, died]);
  };
  await start();
  const service: ServiceProcess = {
    role,
    get pid() {
      return proc.pid;
    },
    get exited() {
      return proc.exited;
    },
    async terminate() {
      await proc.stop(15_000);
      return proc.exited;
    },
    kill: () => proc.kill(),
    log: () => readFileSync(join(dir, `${role}.log`), 'utf8'),
    peakRssMiB: () =>
      Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    start,
  };
  spawned.add(service);
  return service;
}

/** Waits until `service` answers 2xx on `url`; if it exits or the time runs out, fails with its exit and its log's
 *  last lines (a readiness that never comes says why in the test's own output). */
export async function waitReady(service: ServiceProcess, url: string, timeoutMs = 20_000): Promise<void> {
  let exit: number | string | undefined;
  void service.exited.then((code) => (exit = code));
  try {
    await waitFor(
      `${service.role} ready at ${url}`,
      async () => {
        if (exit !== undefined) throw new Error('exited');
        return (await fetch(url)).ok ? true : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    const tail = service.log().trimEnd().split('\n').slice(-15).join('\n');
    const state = exit === undefined ? 'still running' : `exited (${exit})`;
    throw new Error(`${(err as Error).message}; ${service.role} ${state}, its log ends:\n${tail}`);
  }
}
