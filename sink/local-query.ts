// Ad-hoc queries for people (`npm run query`): answered as ClickHouse's human-readable tables. The embedded engine's
// data folder is locked by the process running it, so a running sink answers them for it, at POST /query on its
// status port — only on the embedded engine (elsewhere the route does not exist: 404), only from loopback, and only
// for a caller that can read this machine's files: at start the sink writes a random token to DATA_DIR/query-token
// (mode 0600) and a query must carry it in `X-Query-Token`. A request with an `Origin` (a web page: a form posting
// text/plain, a script, a rebound DNS name) is refused whatever it carries. Wire: HTTP POST, the query as the body,
// the answer as text.
import type { ClickHouseSettings } from '@clickhouse/client';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { KeySet } from '../shared/mod.ts';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';

/** Human-readable tables (the client's type does not list the Pretty formats). */
export const QUERY_SETTINGS = { default_format: 'PrettyCompactMonoBlock' } as unknown as ClickHouseSettings;

const TOKEN_FILE = 'query-token';
const TOKEN_HEADER = 'x-query-token';
const MAX_QUERY_BYTES = 1024 * 1024;

const isLoopback = (address = '') => /^(::ffff:)?127\.|^::1$/.test(address);

/** A new token for this run, written to DATA_DIR/query-token readable by this user only (a file left by an earlier
 *  run is replaced, never reused). */
export function writeQueryToken(dataDir: string): string {
  const token = randomBytes(32).toString('base64url');
  const path = join(dataDir, TOKEN_FILE);
  mkdirSync(dataDir, { recursive: true });
  rmSync(path, { force: true });
  writeFileSync(path, token, { mode: 0o600, flag: 'wx' });
  return token;
}

/** The running sink's token, when there is one. */
export function readQueryToken(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, TOKEN_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * POST /query: runs the body as a query and streams the answer; 400 with ClickHouse's message when it fails. `token`:
 * the run's token (writeQueryToken); without one, the route is off.
 */
export function localQueryRoute(app: Hono, clickhouse: () => ClickHouse | undefined, token: string | undefined): void {
  const tokens = new KeySet(token === undefined ? [] : [[token, true] as const]);
  app.post(
    '/query',
    async (c, next) => {
      const ch = clickhouse();
      if (ch?.engine !== 'embedded' || tokens.size === 0 || !isLoopback(getConnInfo(c).remote.address)) {
        return c.json({ error: 'not found' }, 404);
      }
      if (c.req.header('origin') !== undefined)
        return c.json({ error: 'ad-hoc queries are not taken from web pages (Origin)' }, 403);
      const presented = c.req.header(TOKEN_HEADER);
      if (presented === undefined || !tokens.has(presented))
        return c.json({ error: `ad-hoc queries need the token in ${TOKEN_FILE} under DATA_DIR (npm run query)` }, 401);
      return next();
    },
    bodyLimit({ maxSize: MAX_QUERY_BYTES, onError: (c) => c.json({ error: 'the query is too long' }, 413) }),
    async (c) => {
      const result = await clickhouse()!
        .client.exec({ query: await c.req.text(), clickhouse_settings: QUERY_SETTINGS })
        .catch((err: Error) => err);
      if (result instanceof Error) return c.json({ error: result.message }, 400);
      return c.body(Readable.toWeb(result.stream) as ReadableStream, 200, {
        'content-type': 'text/plain; charset=utf-8',
      });
    },
  );
}

/**
 * Asks the sink running on this machine (POST /query on its status port) to answer a query: its text, or ClickHouse's
 * message when the query failed; undefined when no sink answers it (none running, no token, or one not on the
 * embedded engine).
 */
export async function askRunningSink(
  port: number,
  dataDir: string,
  query: string,
): Promise<{ ok: boolean; text: string } | undefined> {
  const token = readQueryToken(dataDir);
  if (token === undefined) return undefined;
  const res = await fetch(`http://127.0.0.1:${port}/query`, {
    method: 'POST',
    headers: { [TOKEN_HEADER]: token, 'content-type': 'text/plain; charset=utf-8' },
    body: query,
  }).catch(() => undefined);
  if (!res || res.status === 404) return undefined;
  const text = await res.text();
  if (res.ok) return { ok: true, text };
  try {
    return { ok: false, text: (JSON.parse(text) as { error?: string }).error ?? text };
  } catch {
    return { ok: false, text };
  }
}
