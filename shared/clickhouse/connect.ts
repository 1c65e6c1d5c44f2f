// One ClickHouse connection through @clickhouse/client, over HTTP to a server (CLICKHOUSE_URL) or
// in-process to the embedded engine (chdb, the default for local use), with its capabilities.
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { join, resolve } from 'node:path';
import { isUnreachable, redactUrl, retrying } from '../mod.ts';
import { type Config } from '../config/mod.ts';
import type { Logger } from '../node/mod.ts';
import { capabilitiesOf, clusterSettings, type Capabilities } from './capabilities.ts';

export interface ClickHouse extends Capabilities {
  readonly client: ClickHouseClient;
  readonly engine: 'server' | 'embedded';
  readonly database: string;
  /** Where it is, for people: a URL (without its credentials) or the embedded data path. */
  readonly location: string;
  /** Whether the server answers a ping now (readiness); never throws. */
  answers(): Promise<boolean>;
  close(): Promise<void>;
}

class EmbeddedEngineMissing extends Error {
  override name = 'EmbeddedEngineMissing';
}

export async function connectClickHouse(cfg: Config['clickhouse'], dataDir: string): Promise<ClickHouse> {
  let client: ClickHouseClient;
  let location: string;
  if (cfg.url) {
    // Credentials in the URL (user:pass@) are the client's to take; giving both makes it print a warning.
    const credentialsInUrl = /^https?:\/\/[^/?#]*@/.test(cfg.url);
    client = createClient({
      url: cfg.url,
      ...(credentialsInUrl ? {} : { username: cfg.user, password: cfg.password }),
      request_timeout: 60_000,
      ...(cfg.cluster ? { clickhouse_settings: clusterSettings } : {}),
      log: { level: ClickHouseLogLevel.OFF },
    });
    location = redactUrl(cfg.url);
  } else {
    location = resolve(join(dataDir, 'chdb'));
    const chdb = await import('chdb/connection').catch((cause) => {
      throw new EmbeddedEngineMissing(
        'the embedded ClickHouse engine (npm package chdb) is not installed: ' +
          'run `npm install chdb` or set CLICKHOUSE_URL',
        { cause },
      );
    });
    client = createClient({
      connection: chdb.createChdbConnection({ path: location }),
      log: { level: ClickHouseLogLevel.OFF },
    } as Parameters<typeof createClient>[0]);
  }
  let row: { v: string } | undefined;
  try {
    const rs = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
    [row] = await rs.json<{ v: string }>();
  } catch (err) {
    await client.close();
    throw err;
  }
  return {
    client,
    engine: cfg.url ? 'server' : 'embedded',
    database: cfg.database,
    location,
    ...capabilitiesOf(row?.v ?? '0', cfg.cluster),
    answers: () =>
      client.ping().then(
        (r) => r.success,
        () => false,
      ),
    close: () => client.close(),
  };
}

/**
 * connectClickHouse, waiting while the server cannot be reached yet (it is starting beside us): logs that once
 * and tries again with backoff up to 5 s. Other errors (auth, a missing engine) are thrown.
 */
export async function waitForClickHouse(cfg: Config['clickhouse'], dataDir: string, log: Logger): Promise<ClickHouse> {
  let waited = false;
  const ch = await retrying(() => connectClickHouse(cfg, dataDir), {
    passing: isUnreachable,
    baseMs: 250,
    maxMs: 5000,
    onRetry(err, attempt) {
      waited = true;
      if (attempt === 1)
        log.warn(
          { url: cfg.url && redactUrl(cfg.url), err: (err as Error).message },
          'ClickHouse unreachable; waiting for it',
        );
    },
  });
  if (waited) log.info({ at: ch.location }, 'clickhouse reached');
  return ch;
}
