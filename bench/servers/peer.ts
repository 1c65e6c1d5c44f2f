// Peers for comparison, each the same collector core (validation + JetStream publish awaiting the
// PubAck) behind another HTTP layer: `node:http` or `fastify` — what a TypeScript team would write.
// Usage: node --import tsx bench/servers/peer.ts <node-http|fastify> <port>; NATS_URL from the env.
import Fastify from 'fastify';
import { createServer } from 'node:http';
import { createCollector } from '../../collector/mod.ts';
import { createLogger, loadConfig } from '../../shared/mod.ts';
import { connectNats, createPublisher } from '../../streams/mod.ts';

const [kind, portText] = process.argv.slice(2);
const port = Number(portText);
const cfg = loadConfig(process.env);
const link = await connectNats(cfg.nats.url!, `bench ${kind}`, createLogger('bench', 'warn'));
const collector = createCollector({ publisher: createPublisher(link, { timeoutMs: cfg.collector.publishTimeoutMs, maxEventsPerMessage: cfg.collector.maxEventsPerMessage }), ...cfg.collector });

if (kind === 'node-http') {
  createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const out = await collector({ method: req.method!, path: req.url!.split('?')[0]!, header: (n) => req.headers[n] as string | undefined, body: Buffer.concat(chunks) });
    res.writeHead(out.status, out.headers).end(out.body);
  }).listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
} else if (kind === 'fastify') {
  const app = Fastify({ bodyLimit: cfg.collector.bodyLimitBytes });
  // The core parses bodies itself: hand it the raw bytes (fastify's own JSON parser would win otherwise).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/*', async (req, reply) => {
    const out = await collector({ method: 'POST', path: req.url.split('?')[0]!, header: (n) => req.headers[n] as string | undefined, body: req.body as Buffer });
    reply.code(out.status).headers(out.headers).send(out.body);
  });
  await app.listen({ port, host: '127.0.0.1' });
  console.log(`listening ${port}`);
} else {
  throw new Error(`unknown peer ${kind}`);
}
