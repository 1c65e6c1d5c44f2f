// Runs Debian's nats-server with JetStream on loopback, its store in a folder we own. Port -1 picks a
// free port; restart() reuses the same port and store, as a crashed server coming back would.
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnOwned, waitFor, type OwnedProcess } from './process.ts';

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** The server's current process id (it changes on restart). */
  readonly pid: number;
  stop(): Promise<void>;
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its sockets but answers nothing, like a hung or overloaded server. */
  freeze(): void;
  thaw(): void;
}

export async function startNatsServer(opts: { dir: string; port?: number; detached?: boolean }): Promise<NatsServer> {
  mkdirSync(opts.dir, { recursive: true });
  let port = opts.port ?? -1;
  let proc: OwnedProcess;

  const launch = async () => {
    for (const f of readdirSync(opts.dir)) if (f.endsWith('.ports')) rmSync(join(opts.dir, f));
    // -sd: JetStream store; -ports_file_dir: where the server writes the port it bound.
    proc = spawnOwned(
      'nats-server',
      ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(opts.dir, 'store'), '-ports_file_dir', opts.dir],
      join(opts.dir, 'nats-server.log'),
      { detached: opts.detached },
    );
    const early = proc.exited.then((code) => {
      throw new Error(`nats-server exited (${code}); see ${join(opts.dir, 'nats-server.log')}`);
    });
    const ready = waitFor('nats-server ports file', async () => {
      const file = readdirSync(opts.dir).find((f) => f === `nats-server_${proc.pid}.ports`);
      if (!file) return undefined;
      const url: string | undefined = JSON.parse(readFileSync(join(opts.dir, file), 'utf8')).nats?.[0];
      return url ? Number(new URL(url).port) : undefined;
    });
    port = await Promise.race([ready, early]);
  };

  await launch();
  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dir: opts.dir,
    get pid() {
      return proc.pid;
    },
    stop: () => proc.stop(),
    kill: () => proc.kill(),
    freeze: () => proc.signal('SIGSTOP'),
    thaw: () => proc.signal('SIGCONT'),
    async restart() {
      await proc.stop();
      await launch();
    },
  };
}
