// A child server process we own: started with its output in a log file, killed with us if we die,
// stopped gracefully (SIGTERM, then SIGKILL) or killed outright to simulate a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface OwnedProcess {
  readonly pid: number;
  /** Resolves with the exit code (or signal) once the process has gone. */
  readonly exited: Promise<number | string>;
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
  /** Sends a signal as is (SIGSTOP freezes it, SIGCONT thaws it). */
  signal(sig: NodeJS.Signals): void;
}

/** `detached` puts the child in its own process group, so a terminal's Ctrl-C reaches only us and we
 *  stop it in order (the parent still kills it on exit). */
export function spawnOwned(
  command: string,
  args: string[],
  logFile: string,
  opts: { detached?: boolean; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): OwnedProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, {
    stdio: ['ignore', fd, fd],
    detached: opts.detached ?? false,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  closeSync(fd);
  live.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (err) => {
      live.delete(child);
      resolve(err.message);
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null || !live.has(child);
  return {
    pid: child.pid ?? -1,
    exited,
    async stop(graceMs = 5000) {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
    signal(sig) {
      if (!gone()) child.kill(sig);
    },
  };
}

/** A server we run: stopped gracefully, killed as in a crash, restarted on the same ports and data, or frozen. */
export interface ServerControl {
  /** The server's current process id (it changes on restart). */
  readonly pid: number;
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its sockets but answers nothing, like a hung or overloaded server. */
  freeze(): void;
  thaw(): void;
}

/** The control of a server whose current process is `current()`; `launch` starts it again (restart). */
export function serverControl(current: () => OwnedProcess, launch: () => Promise<void>): ServerControl {
  return {
    get pid() {
      return current().pid;
    },
    stop: () => current().stop(),
    kill: () => current().kill(),
    freeze: () => current().signal('SIGSTOP'),
    thaw: () => current().signal('SIGCONT'),
    async restart() {
      await current().stop();
      await launch();
    },
  };
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
