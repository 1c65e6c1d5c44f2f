// Ad-hoc queries for people (`npm run query`): answered as ClickHouse's human-readable tables. The embedded engine's
// data folder is locked by the process running it, so a running sink answers them for it, at POST /query on its
// status port — from loopback only, and only on the embedded engine (elsewhere the route does not exist: 404).
import type { ClickHouseSettings } from '@clickhouse/client';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Hono } from 'hono';
import { Readable } from 'node:stream';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';

/** Human-readable tables (the client's type does not list the Pretty formats). */
export const QUERY_SETTINGS = { default_format: 'PrettyCompactMonoBlock' } as unknown as ClickHouseSettings;

const isLoopback = (address = '') => /^(::ffff:)?127\.|^::1$/.test(address);

/** POST /query: runs the body as a query and streams the answer; 400 with ClickHouse's message when it fails. */
export function localQueryRoute(app: Hono, clickhouse: () => ClickHouse | undefined): void {
  app.post('/query', async (c, next) => {
    const ch = clickhouse();
    if (ch?.engine !== 'embedded' || !isLoopback(getConnInfo(c).remote.address)) return next();
    const result = await ch.client
      .exec({ query: await c.req.text(), clickhouse_settings: QUERY_SETTINGS })
      .catch((err: Error) => err);
    if (result instanceof Error) return c.json({ error: result.message }, 400);
    return c.body(Readable.toWeb(result.stream) as ReadableStream, 200, {
      'content-type': 'text/plain; charset=utf-8',
    });
  });
}

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
