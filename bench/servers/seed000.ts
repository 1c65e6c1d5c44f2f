// Seed 000's design, for comparison: the API validates each event and INSERTs it straight into a
// ClickHouse Buffer table (no queue). Usage: node --import tsx bench/servers/seed000.ts <port>;
// CLICKHOUSE_URL from the env. Wire: HTTP INSERT … FORMAT JSONEachRow per request.
import { createClient } from '@clickhouse/client';
import { createServer } from 'node:http';
import { validateEvent } from '../../shared/mod.ts';
import { loadConfig } from '../../shared/config/mod.ts';
import { defaultCatalog } from '../../test/support/mod.ts';

const generic = defaultCatalog().fallback!;

const port = Number(process.argv[2]);
const cfg = loadConfig(process.env);
const ch = createClient({ url: cfg.clickhouse.url, max_open_connections: 100 });
await ch.command({ query: 'CREATE DATABASE IF NOT EXISTS seed000' });
await ch.command({
  query:
    'CREATE TABLE IF NOT EXISTS seed000.demo_events ' +
    `(dt DateTime, event String, user_id String, screen String, elem String, amount Int64)
          ENGINE = MergeTree() PARTITION BY toYYYYMM(dt) ORDER BY (dt, event)`,
});
await ch.command({
  query:
    'CREATE TABLE IF NOT EXISTS seed000.demo_events_buff AS seed000.demo_events ' +
    'ENGINE = Buffer(seed000, demo_events, 1, 10, 30, 10000, 1000000, 10000000, 100000000)',
});

createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  let event: unknown;
  try {
    event = JSON.parse(Buffer.concat(chunks).toString());
  } catch {
    return res.writeHead(400).end('{"error":"invalid JSON"}');
  }
  const checked = validateEvent(generic, event);
  if (!checked.ok) return res.writeHead(400).end(JSON.stringify({ issues: checked.issues }));
  const { event_id: _, ...row } = checked.row;
  try {
    await ch.insert({ table: 'seed000.demo_events_buff', values: [row], format: 'JSONEachRow' });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  } catch (err) {
    res.writeHead(503).end(JSON.stringify({ error: (err as Error).message }));
  }
}).listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
