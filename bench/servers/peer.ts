// Peers for comparison: an HTTP layer (`node:http` or `fastify`) in front of one of two ways to validate and
// publish, each answering only after the JetStream PubAck:
// - `core`: the collector's own core and coalescing publisher, so only the HTTP layer differs;
// - `js`: what a TypeScript team would write — the same valibot schemas, then an awaited `js.publish()` per event.
// Usage: node --import tsx bench/servers/peer.ts <node-http|fastify> <core|js> <port>; NATS_URL from the env.
import { jetstream } from '@nats-io/jetstream';
import Fastify from 'fastify';
import { createServer } from 'node:http';
import { createCollector, type Collector } from '../../collector/mod.ts';
import { formatUtc, validateEvent } from '../../shared/mod.ts';
import { loadConfig } from '../../shared/config/mod.ts';
import { defaultCatalog } from '../../test/support/mod.ts';

const catalog = defaultCatalog();
import { createLogger } from '../../shared/node/mod.ts';
import { connectNats, createPublisher } from '../../streams/mod.ts';

const [http, publish, portText] = process.argv.slice(2);
const port = Number(portText);
const cfg = loadConfig(process.env);
const link = await connectNats(cfg.nats.url!, `bench ${http} ${publish}`, createLogger('bench', 'warn'));

const json = (status: number, body: unknown) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The handler a team would write: parse, validate with the catalog's valibot schema, stamp, publish, answer. */
function plain(): Collector {
  const js = jetstream(link.nc, { timeout: cfg.collector.publishTimeoutMs });
  const encoder = new TextEncoder();
  return async (req) => {
    let event: unknown;
    try {
      event = JSON.parse(new TextDecoder().decode(req.body));
    } catch {
      return json(400, { error: 'invalid JSON' });
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      return json(400, { error: 'expected one JSON object' });
    const type = catalog.of(event as Record<string, unknown>)!;
    const checked = validateEvent(type, event);
    if (!checked.ok) return json(400, { error: 'invalid event', issues: checked.issues });
    const event_id = (checked.row.event_id as string | undefined) ?? crypto.randomUUID();
    const row = { ...checked.row, event_id, received_at: formatUtc(Date.now(), true) };
    try {
      await js.publish(`events.${type.key}`, encoder.encode(JSON.stringify(row)), { msgID: event_id });
    } catch (err) {
      return json(503, { error: 'event not stored, retry later', reason: (err as Error).message });
    }
    return json(202, { status: 'accepted', event_id, type: type.key });
  };
}

const handle: Collector =
  publish === 'js'
    ? plain()
    : createCollector({
        catalog: () => catalog,
        publisher: createPublisher(link, {
          timeoutMs: cfg.collector.publishTimeoutMs,
          maxEventsPerMessage: cfg.collector.maxEventsPerMessage,
        }),
        ...cfg.collector,
      });

if (http === 'node-http') {
  createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const out = await handle({
      method: req.method!,
      path: req.url!.split('?')[0]!,
      header: (n) => req.headers[n] as string | undefined,
      body: Buffer.concat(chunks),
    });
    res.writeHead(out.status, out.headers).end(out.body);
  }).listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
} else if (http === 'fastify') {
  const app = Fastify({ bodyLimit: cfg.collector.bodyLimitBytes });
  // Both handlers parse bodies themselves: hand them the raw bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/*', async (req, reply) => {
    const out = await handle({
      method: 'POST',
      path: req.url.split('?')[0]!,
      header: (n) => req.headers[n] as string | undefined,
      body: req.body as Buffer,
    });
    reply.code(out.status).headers(out.headers).send(out.body);
  });
  await app.listen({ port, host: '127.0.0.1' });
  console.log(`listening ${port}`);
} else {
  throw new Error(`unknown HTTP layer ${http}`);
}
