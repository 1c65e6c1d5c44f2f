// The sink's own HTTP port: /healthz (alive), /readyz (NATS connected, ClickHouse answers), /metrics and, for
// the embedded engine only, POST /query from loopback — the one way into its locked data folder.
import type { ClickHouseSettings } from '@clickhouse/client';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { ClickHouse, Logger } from '../shared/mod.ts';
import type { NatsLink } from '../streams/mod.ts';
import type { SinkMetrics } from './metrics.ts';

/** Human-readable tables for ad-hoc queries (the client's type does not list Pretty formats). */
export const QUERY_SETTINGS = { default_format: 'PrettyCompactMonoBlock' } as unknown as ClickHouseSettings;

/** `link`, `ch`: the NATS link and ClickHouse once reached (the port serves before that, not ready). */
export async function serveHealth(port: number, link: () => NatsLink | undefined, ch: () => ClickHouse | undefined, metrics: SinkMetrics, log: Logger): Promise<Server> {
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    try {
      if (req.url === '/healthz') return reply(200, { status: 'ok' });
      if (req.url === '/metrics') {
        const m = await metrics.render();
        return res.writeHead(200, { 'content-type': m.contentType }).end(m.body);
      }
      if (req.url === '/readyz') {
        const clickhouse = (await ch()?.client.ping().then((r) => r.success).catch(() => false)) ?? false;
        const nats = link()?.connected() ?? false;
        return reply(nats && clickhouse ? 200 : 503, { nats, clickhouse });
      }
      const engine = ch();
      if (req.url === '/query' && req.method === 'POST' && engine?.engine === 'embedded' && isLoopback(req)) {
        const query = await readText(req);
        const result = await engine.client
          .exec({ query, clickhouse_settings: QUERY_SETTINGS })
          .catch((err: Error) => err);
        if (result instanceof Error) return reply(400, { error: result.message });
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        for await (const chunk of result.stream) res.write(chunk);
        return res.end();
      }
      reply(404, { error: 'not found' });
    } catch (err) {
      log.error({ err }, 'health endpoint failed');
      if (!res.headersSent) reply(500, { error: 'internal error' });
      else res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return server;
}

const isLoopback = (req: IncomingMessage) => /^(::ffff:)?127\.|^::1$/.test(req.socket.remoteAddress ?? '');

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
