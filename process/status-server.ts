// The status port of every process but the collector core (which serves its own): GET /healthz (alive), GET /readyz
// (200 once every part it needs answers, else 503 naming which does not), GET /metrics (Prometheus text), and any
// routes of the process's own. One stack for all of them: hono on @hono/node-server. Served from the start, before
// the servers a process waits for are reached, so a probe does not restart a process that waits for them.
import type { ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from '../shared/node/mod.ts';

interface StatusOptions {
  host: string;
  port: number;
  /** Each part the process needs, and whether it answers now. */
  ready(): Promise<Record<string, boolean>>;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Routes of this process's own (the sink's POST /query). */
  routes?(app: Hono): void;
  log: Logger;
}

interface StatusServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function serveStatus(o: StatusOptions): Promise<StatusServer> {
  // Loaded here, not with the door: the collector's entry point uses the kit but not this server.
  const [{ serve }, { Hono }] = await Promise.all([import('@hono/node-server'), import('hono')]);
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const parts = await o.ready();
    return c.json(parts, Object.values(parts).every(Boolean) ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    const m = await o.metrics();
    return c.body(m.body, 200, { 'content-type': m.contentType });
  });
  o.routes?.(app);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    o.log.error({ err }, 'status endpoint failed');
    return c.json({ error: 'internal error' }, 500);
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: o.host, port: o.port }, () => resolve(s));
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : o.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
