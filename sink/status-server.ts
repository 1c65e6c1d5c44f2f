// The sink's own HTTP port: GET /healthz (alive), GET /readyz (healthcheck.ts), GET /metrics (Prometheus text), and,
// for the embedded engine only, POST /query from loopback (local-query.ts). Served from the start, before ClickHouse
// and NATS are reached, so a probe does not restart a sink that waits for them.
import { createServer, type Server } from 'node:http';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import type { NatsLink } from '../streams/mod.ts';
import { readiness } from './healthcheck.ts';
import { answerQuery, isLocalQuery } from './local-query.ts';
import type { SinkMetrics } from './metrics.ts';

/** `link`, `ch`: the NATS link and ClickHouse once reached. */
export async function serveStatus(
  port: number,
  link: () => NatsLink | undefined,
  ch: () => ClickHouse | undefined,
  metrics: SinkMetrics,
  log: Logger,
): Promise<Server> {
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    try {
      if (req.url === '/healthz') return reply(200, { status: 'ok' });
      if (req.url === '/readyz') {
        const ready = await readiness(link(), ch());
        return reply(ready.nats && ready.clickhouse ? 200 : 503, ready);
      }
      if (req.url === '/metrics') {
        const m = await metrics.render();
        return res.writeHead(200, { 'content-type': m.contentType }).end(m.body);
      }
      const engine = ch();
      if (isLocalQuery(req, engine)) return await answerQuery(req, res, engine);
      reply(404, { error: 'not found' });
    } catch (err) {
      log.error({ err }, 'status endpoint failed');
      if (!res.headersSent) reply(500, { error: 'internal error' });
      else res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return server;
}
