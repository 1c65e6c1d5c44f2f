// Collectors for a benchmark run: one, or several processes listening on the same port (uWebSockets.js
// binds with SO_REUSEPORT, so the kernel spreads connections over them) — scaling out by process, as
// replicas behind a Service do, on one machine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor, spawnService, type ServiceProcess } from '../test/support/mod.ts';

export interface Collectors {
  readonly pids: number[];
  terminate(): Promise<void>;
}

/** `count` collector processes on env.PORT, each with its own log in `dir`; resolves once every one listens. */
export async function startCollectors(count: number, env: Record<string, string>, dir: string): Promise<Collectors> {
  const procs: ServiceProcess[] = [];
  for (let i = 0; i < count; i++) {
    const own = join(dir, `collector-${i}`);
    mkdirSync(own, { recursive: true });
    const p = await spawnService('collector', { ...env, LOG_LEVEL: 'info' }, own);
    procs.push(p);
    // /readyz may have been answered by another process on the port: wait for this one's own word.
    await waitFor(`collector ${i} listening`, async () => (p.log().includes('collector listening') ? true : undefined));
  }
  return {
    pids: procs.map((p) => p.pid),
    async terminate() {
      for (const p of procs) await p.terminate();
    },
  };
}
