// Ad-hoc queries for people (`npm run query`): answered as ClickHouse's human-readable tables. The embedded engine's
// data folder is locked by the process running it, so a running sink answers them for it — from loopback only.
import type { ClickHouseSettings } from '@clickhouse/client';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';

/** Human-readable tables (the client's type does not list the Pretty formats). */
export const QUERY_SETTINGS = { default_format: 'PrettyCompactMonoBlock' } as unknown as ClickHouseSettings;

const isLoopback = (req: IncomingMessage) => /^(::ffff:)?127\.|^::1$/.test(req.socket.remoteAddress ?? '');

/** Whether this request is a query the sink answers: POST /query, from loopback, on the embedded engine. */
export const isLocalQuery = (req: IncomingMessage, ch: ClickHouse | undefined): ch is ClickHouse =>
  req.url === '/query' && req.method === 'POST' && ch?.engine === 'embedded' && isLoopback(req);

/**
 * Asks the sink running on this machine (POST /query on its status port) to answer a query: its text, or ClickHouse's
 * message when the query failed; undefined when no sink answers it (none running, or one not on the embedded engine).
 */
export async function askRunningSink(port: number, query: string): Promise<{ ok: boolean; text: string } | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/query`, { method: 'POST', body: query }).catch(() => undefined);
  if (!res || res.status === 404) return undefined;
  const text = await res.text();
  return res.ok ? { ok: true, text } : { ok: false, text: JSON.parse(text).error ?? text };
}

/** Runs the body as a query and streams the answer; 400 with ClickHouse's message when it fails. */
export async function answerQuery(req: IncomingMessage, res: ServerResponse, ch: ClickHouse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const result = await ch.client
    .exec({ query: Buffer.concat(chunks).toString('utf8'), clickhouse_settings: QUERY_SETTINGS })
    .catch((err: Error) => err);
  if (result instanceof Error) {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: result.message }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  for await (const chunk of result.stream) res.write(chunk);
  res.end();
}
