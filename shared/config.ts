// Process configuration: the environment parsed once, by one valibot schema, into typed settings.
// Bad values stop start-up with a message naming each variable; nothing else reads the environment.
import * as v from 'valibot';
import type { Catalog } from './catalog/catalog.ts';
import { exitIfRefused, Refused } from './refused.ts';

const int = (fallback: number, min = 0) =>
  v.optional(
    v.pipe(v.string(), v.trim(), v.regex(/^\d+$/, 'expected a whole number'), v.transform(Number), v.minValue(min)),
    String(fallback),
  );
const url = (protocols: string[]) =>
  v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.check(
        (s) => s.split(',').every((part) => protocols.some((p) => part.trim().startsWith(p))),
        `expected a URL starting with ${protocols.join(' or ')}`,
      ),
    ),
  );
const sqlName = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an SQL identifier'));
const identifier = (fallback: string) => v.optional(sqlName, fallback);

const relayCommon = {
  name: v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,32}$/, 'expected lower-case letters, digits, _ or -')),
  /** Event types to relay (seed or snake_case names); all when absent. */
  /** Event types (names or snake_case keys); all when absent. Checked against the catalog when it is loaded. */
  types: v.optional(v.pipe(v.array(v.string()), v.minLength(1, 'name at least one type, or leave types out'))),
  batch_size: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 500),
  max_attempts: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 8),
};
const RelaySchema = v.variant('kind', [
  v.object({ kind: v.literal('nats'), ...relayCommon }),
  v.object({
    kind: v.literal('webhook'),
    ...relayCommon,
    url: v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//, 'expected an http(s) URL')),
    timeout_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 10_000),
  }),
]);
export type Relay = v.InferOutput<typeof RelaySchema>;

/** A source: who may send, with which write key, which event types, how fast (events per second). */
export const SourcesSchema = v.pipe(
  v.array(
    v.object({
      name: v.pipe(v.string(), v.regex(/^[\w.-]{1,64}$/, 'expected letters, digits, _ . -')),
      key: v.pipe(v.string(), v.minLength(8, 'write keys must be at least 8 characters')),
      types: relayCommon.types,
      rate_limit: v.optional(
        v.object({ rps: v.pipe(v.number(), v.minValue(0.001)), burst: v.optional(v.pipe(v.number(), v.minValue(1))) }),
      ),
    }),
  ),
  v.check((ss) => new Set(ss.map((s) => s.key)).size === ss.length, 'write keys must be unique'),
);
export type Source = v.InferOutput<typeof SourcesSchema>[number];

const flag = (fallback: boolean) =>
  v.optional(
    v.pipe(
      v.picklist(['true', 'false', '1', '0'], 'expected true or false'),
      v.transform((x) => x === 'true' || x === '1'),
    ),
    fallback ? 'true' : 'false',
  );
const rate = () =>
  v.optional(v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, 'expected a number'), v.transform(Number)), '0');

const EnvVars = v.object({
  /** The catalog files: files or folders (their .yaml/.yml files), comma-separated. */
  EVENT_CATALOG: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1)), 'catalog'),
  NATS_URL: url(['nats://', 'tls://', 'ws://', 'wss://', '127.', 'localhost']),
  CLICKHOUSE_URL: url(['http://', 'https://']),
  CLICKHOUSE_USER: v.optional(v.string(), 'default'),
  CLICKHOUSE_PASSWORD: v.optional(v.string(), ''),
  CLICKHOUSE_DATABASE: identifier('edge_events'),
  /** A cluster of the server's remote_servers: replicated tables on every node, read and written through
   *  Distributed tables (shared/schema/cluster.ts). Unset: one node. */
  CLICKHOUSE_CLUSTER: v.optional(sqlName),
  HOST: v.optional(v.string(), '0.0.0.0'),
  PORT: int(8080),
  BODY_LIMIT_BYTES: int(1024 * 1024, 1),
  EVENT_LIMIT_BYTES: int(32 * 1024, 1),
  /** JSON array of sources: [{"name":"web","key":"…","types":["PageVisit"],"rate_limit":{"rps":500}}]. */
  COLLECTOR_WRITE_KEYS: v.optional(v.pipe(v.string(), v.parseJson(undefined, 'expected JSON'), SourcesSchema)),
  /** The same JSON, in a file (read at start-up). */
  COLLECTOR_SOURCES_FILE: v.optional(v.string()),
  RATE_LIMIT_IP_RPS: rate(),
  RATE_LIMIT_IP_BURST: rate(),
  /** Take the client IP from X-Forwarded-For (behind a load balancer). */
  TRUST_PROXY: flag(false),
  /** Origins allowed by CORS: a comma-separated list, or * for any. */
  CORS_ORIGINS: v.optional(v.string(), '*'),
  PUBLISH_TIMEOUT_MS: int(2000, 1),
  /** Events of one type published together may share a JetStream message; 1 gives each its own. */
  PUBLISH_MAX_EVENTS_PER_MESSAGE: int(500, 1),
  MAX_INFLIGHT_EVENTS: int(20_000, 1),
  MAX_INFLIGHT_BYTES: int(64 * 1024 * 1024, 1),
  SINK_PORT: int(8081),
  /** The reading API's port and address (loopback unless set otherwise). */
  READER_PORT: int(8082),
  /** The cold tier (archive/): where Parquet files go, s3://bucket/prefix or a folder (default DATA_DIR/archive). */
  ARCHIVE_URL: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** An S3-compatible server's URL (MinIO, R2…; path-style requests); default AWS S3 in ARCHIVE_S3_REGION. */
  ARCHIVE_S3_ENDPOINT: url(['http://', 'https://']),
  ARCHIVE_S3_REGION: v.optional(v.string(), 'us-east-1'),
  AWS_ACCESS_KEY_ID: v.optional(v.string()),
  AWS_SECRET_ACCESS_KEY: v.optional(v.string()),
  /** A file is written once its events reach this many bytes (as JSON; the Parquet file is several times smaller)… */
  ARCHIVE_FILE_BYTES: int(64 * 1024 * 1024, 1024),
  /** …or this long after its first event arrived. */
  ARCHIVE_FLUSH_SECONDS: int(300, 1),
  /** Every request to the object store fails after this long (and is retried with backoff). */
  ARCHIVE_TIMEOUT_MS: int(10_000, 100),
  /** The archiver's /healthz, /readyz and /metrics. */
  ARCHIVE_PORT: int(8083),
  READER_HOST: v.optional(v.string(), '127.0.0.1'),
  /** npm start fills an empty database with demo data (six months, through its collector). */
  DEMO_DATA: flag(false),
  /** npm start sends the catalog's events at this rate (events per second) through its collector; 0 or less: off. */
  LOADGEN_RPS: v.optional(
    v.pipe(v.string(), v.regex(/^-?\d+(\.\d+)?$/, 'expected a number'), v.transform(Number)),
    '0',
  ),
  /** The console's token: required to sign in to the console, and to redrive from it even on loopback. */
  CONSOLE_TOKEN: v.optional(v.pipe(v.string(), v.minLength(8, 'the console token must be at least 8 characters'))),
  /** Where the console finds the collectors, sinks and archivers (comma-separated base URLs): their metrics and
   *  health, and the collector the catalog page sends test events to (the first). Default: this machine's PORT,
   *  SINK_PORT and ARCHIVE_PORT. */
  CONSOLE_COLLECTORS: v.optional(v.string()),
  CONSOLE_SINKS: v.optional(v.string()),
  CONSOLE_ARCHIVERS: v.optional(v.string()),
  /** Keys that may read (comma-separated); when set, every read needs one. Write keys never can. */
  READ_KEYS: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) =>
        s
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      ),
      v.check((keys) => keys.every((k) => k.length >= 8), 'read keys must be at least 8 characters'),
    ),
  ),
  /** Messages per fetch; a message holds up to 500 events and 256 KiB, so this bounds a batch's memory. */
  SINK_BATCH_SIZE: int(1000, 1),
  SINK_BATCH_WAIT_MS: int(1000, 1000),
  SINK_RETRY_BASE_MS: int(1000, 1),
  SINK_RETRY_MAX_MS: int(60_000, 1),
  SINK_MAX_DELIVER: int(10, 1),
  SINK_ACK_WAIT_SECONDS: int(30, 1),
  STREAM_MAX_AGE_SECONDS: int(7 * 24 * 3600),
  STREAM_MAX_BYTES: int(10 * 1024 ** 3),
  STREAM_DUPLICATE_WINDOW_SECONDS: int(120, 1),
  STREAM_REPLICAS: int(1, 1),
  /** JSON: [{"name":"crm","kind":"nats","types":["PageVisit"]}, {"name":"hook","kind":"webhook","url":"…"}] */
  RELAYS: v.optional(
    v.pipe(
      v.string(),
      v.parseJson(undefined, 'expected JSON'),
      v.array(RelaySchema),
      v.check((rs) => new Set(rs.map((r) => r.name)).size === rs.length, 'relay names must be unique'),
    ),
    '[]',
  ),
  // OpenTelemetry's own variables: tracing is on when an endpoint is set (the SDK reads the rest).
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http://', 'https://']),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http://', 'https://']),
  OTEL_SERVICE_NAME: v.optional(v.string()),
  OTEL_SDK_DISABLED: flag(false),
  DATA_DIR: v.optional(v.string(), '.data'),
  LOG_LEVEL: v.optional(v.picklist(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']), 'info'),
});
const EnvSchema = v.pipe(
  EnvVars,
  // A fetch holds its first message up to SINK_BATCH_WAIT_MS before the sink sees it; were the ack
  // wait no longer, JetStream would redeliver it into the same fetch and the batch would hold it twice.
  v.forward(
    v.check(
      (e) => e.SINK_ACK_WAIT_SECONDS * 1000 >= 2 * e.SINK_BATCH_WAIT_MS,
      'must be at least twice SINK_BATCH_WAIT_MS',
    ),
    ['SINK_ACK_WAIT_SECONDS'],
  ),
);

type Env = v.InferOutput<typeof EnvSchema>;

/** Every environment variable the processes read (deploy manifests are checked against it). */
export const ENV_VARS: readonly string[] = Object.keys(EnvVars.entries);

export interface Config {
  catalog: { paths: string };
  nats: { url?: string };
  clickhouse: { url?: string; user: string; password: string; database: string; cluster?: string };
  collector: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    publishTimeoutMs: number;
    maxEventsPerMessage: number;
    maxInflightEvents: number;
    maxInflightBytes: number;
    eventLimitBytes: number;
    /** Write-key sources; when empty, ingestion is open. */
    sources: Source[];
    sourcesFile?: string;
    ipRateLimit: { rps: number; burst: number };
    trustProxy: boolean;
    corsOrigins: string[];
  };
  sink: {
    port: number;
    batchSize: number;
    batchWaitMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    maxDeliver: number;
    ackWaitSeconds: number;
  };
  stream: { maxAgeSeconds: number; maxBytes: number; duplicateWindowSeconds: number; replicas: number };
  reader: {
    host: string;
    port: number;
    readKeys: string[];
    console: { token?: string; collectors: string[]; sinks: string[]; archivers: string[] };
  };
  archive: {
    url: string;
    s3Endpoint?: string;
    s3Region: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    fileBytes: number;
    flushSeconds: number;
    timeoutMs: number;
    port: number;
  };
  loadgen: { rps: number };
  demo: boolean;
  relays: Relay[];
  telemetry: { tracing: boolean; serviceName?: string };
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
}

/** A comma-separated list of base URLs, without trailing slashes; undefined when unset or empty. */
const urls = (list: string | undefined) => {
  const out = list
    ?.split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return out?.length ? out : undefined;
};

export class ConfigError extends Refused {
  override name = 'ConfigError';
}

/**
 * The catalog keys of the types a setting names (`RELAYS`, a source's `types`), or undefined for all types. A name
 * the catalog does not know is a configuration error naming the setting.
 */
export function typeKeysOf(
  names: readonly string[] | undefined,
  catalog: Catalog,
  setting: string,
): string[] | undefined {
  if (!names) return undefined;
  const unknown = names.filter((n) => !catalog.find(n));
  if (unknown.length) {
    const known = catalog.types.map((t) => t.name).join(', ');
    throw new ConfigError(
      `${setting}: unknown event type ${unknown.map((n) => JSON.stringify(n)).join(', ')} (the catalog has ${known})`,
    );
  }
  return names.map((n) => catalog.find(n)!.key);
}

/** Parses the given environment (process.env, Deno.env.toObject(), or a test's record). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([k, val]) => val !== undefined && val !== '' && k in EnvVars.entries),
  );
  const parsed = v.safeParse(EnvSchema, defined);
  if (!parsed.success) {
    const lines = parsed.issues.map((issue) => {
      const path = v.getDotPath(issue) ?? '?';
      const name = path.split('.')[0]!;
      const where = path === name ? '' : ` at ${path.slice(name.length + 1)}`;
      return `  ${name}=${JSON.stringify(env[name] ?? '')}${where}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.output;
  return {
    catalog: { paths: e.EVENT_CATALOG },
    nats: { url: e.NATS_URL },
    clickhouse: {
      url: e.CLICKHOUSE_URL,
      user: e.CLICKHOUSE_USER,
      password: e.CLICKHOUSE_PASSWORD,
      database: e.CLICKHOUSE_DATABASE,
      cluster: e.CLICKHOUSE_CLUSTER,
    },
    collector: {
      host: e.HOST,
      port: e.PORT,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      publishTimeoutMs: e.PUBLISH_TIMEOUT_MS,
      maxEventsPerMessage: e.PUBLISH_MAX_EVENTS_PER_MESSAGE,
      maxInflightEvents: e.MAX_INFLIGHT_EVENTS,
      maxInflightBytes: e.MAX_INFLIGHT_BYTES,
      eventLimitBytes: e.EVENT_LIMIT_BYTES,
      sources: e.COLLECTOR_WRITE_KEYS ?? [],
      sourcesFile: e.COLLECTOR_SOURCES_FILE,
      ipRateLimit: { rps: e.RATE_LIMIT_IP_RPS, burst: e.RATE_LIMIT_IP_BURST || Math.max(1, e.RATE_LIMIT_IP_RPS) },
      trustProxy: e.TRUST_PROXY,
      corsOrigins: e.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    },
    sink: {
      port: e.SINK_PORT,
      batchSize: e.SINK_BATCH_SIZE,
      batchWaitMs: e.SINK_BATCH_WAIT_MS,
      retryBaseMs: e.SINK_RETRY_BASE_MS,
      retryMaxMs: e.SINK_RETRY_MAX_MS,
      maxDeliver: e.SINK_MAX_DELIVER,
      ackWaitSeconds: e.SINK_ACK_WAIT_SECONDS,
    },
    stream: {
      maxAgeSeconds: e.STREAM_MAX_AGE_SECONDS,
      maxBytes: e.STREAM_MAX_BYTES,
      duplicateWindowSeconds: e.STREAM_DUPLICATE_WINDOW_SECONDS,
      replicas: e.STREAM_REPLICAS,
    },
    archive: {
      url: e.ARCHIVE_URL ?? `${e.DATA_DIR}/archive`,
      s3Endpoint: e.ARCHIVE_S3_ENDPOINT,
      s3Region: e.ARCHIVE_S3_REGION,
      accessKeyId: e.AWS_ACCESS_KEY_ID,
      secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
      fileBytes: e.ARCHIVE_FILE_BYTES,
      flushSeconds: e.ARCHIVE_FLUSH_SECONDS,
      timeoutMs: e.ARCHIVE_TIMEOUT_MS,
      port: e.ARCHIVE_PORT,
    },
    loadgen: { rps: e.LOADGEN_RPS },
    demo: e.DEMO_DATA,
    reader: {
      host: e.READER_HOST,
      port: e.READER_PORT,
      readKeys: e.READ_KEYS ?? [],
      console: {
        token: e.CONSOLE_TOKEN,
        collectors: urls(e.CONSOLE_COLLECTORS) ?? [`http://127.0.0.1:${e.PORT}`],
        sinks: urls(e.CONSOLE_SINKS) ?? [`http://127.0.0.1:${e.SINK_PORT}`],
        archivers: urls(e.CONSOLE_ARCHIVERS) ?? [`http://127.0.0.1:${e.ARCHIVE_PORT}`],
      },
    },
    relays: e.RELAYS,
    telemetry: {
      tracing: !e.OTEL_SDK_DISABLED && Boolean(e.OTEL_EXPORTER_OTLP_ENDPOINT || e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
      serviceName: e.OTEL_SERVICE_NAME,
    },
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
  };
}

/** For entry points: parse the process's environment (or `env`), or print the reason and exit 2. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    return exitIfRefused(err);
  }
}
