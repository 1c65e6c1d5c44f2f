// Which settings each process reads. A section of the configuration is built from the settings its group names, and
// a role is the sections its process uses: a process validates (and the README documents for it) only those, so a
// collector is never stopped by a sink setting, and reading another role's section does not type-check.
import type { Relay } from './relay-secrets.ts';
import type { Source } from './sources.ts';
import { list, urls } from './fields.ts';
import type { Env, SettingName } from './settings.ts';

interface Group<T> {
  vars: readonly SettingName[];
  build(e: Env): T;
}
const group = <T>(vars: readonly SettingName[], build: (e: Env) => T): Group<T> => ({ vars, build });

export const GROUPS = {
  base: group(
    [
      'EVENT_CATALOG',
      'DATA_DIR',
      'LOG_LEVEL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      'OTEL_SERVICE_NAME',
      'OTEL_SDK_DISABLED',
    ],
    (e) => ({
      catalog: { paths: e.EVENT_CATALOG },
      dataDir: e.DATA_DIR,
      logLevel: e.LOG_LEVEL,
      telemetry: {
        tracing: !e.OTEL_SDK_DISABLED && Boolean(e.OTEL_EXPORTER_OTLP_ENDPOINT || e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
        serviceName: e.OTEL_SERVICE_NAME,
      },
    }),
  ),
  nats: group(['NATS_URL', 'NATS_USER', 'NATS_PASSWORD', 'NATS_CA_FILE'], (e) => ({
    nats: { url: e.NATS_URL, user: e.NATS_USER, password: e.NATS_PASSWORD, caFile: e.NATS_CA_FILE },
  })),
  stream: group(
    ['STREAM_MAX_AGE_SECONDS', 'STREAM_MAX_BYTES', 'STREAM_DUPLICATE_WINDOW_SECONDS', 'STREAM_REPLICAS'],
    (e) => ({
      stream: {
        maxAgeSeconds: e.STREAM_MAX_AGE_SECONDS,
        maxBytes: e.STREAM_MAX_BYTES,
        duplicateWindowSeconds: e.STREAM_DUPLICATE_WINDOW_SECONDS,
        replicas: e.STREAM_REPLICAS,
      },
    }),
  ),
  // Read by `npm run streams:apply` (every group), which shapes a hub's or a POP's streams by them.
  edge: group(['EDGE_POP_DOMAINS', 'EDGE_HUB_DOMAIN'], (e) => ({
    edge: {
      /** At the hub: the POPs' domains its EVENTS sources from. */
      popDomains: e.EDGE_POP_DOMAINS ?? [],
      /** At a POP: the hub's domain (this server holds EVENTS and mirrors of the hub's buckets only). */
      hubDomain: e.EDGE_HUB_DOMAIN,
    },
  })),
  clickhouse: group(
    ['CLICKHOUSE_URL', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'CLICKHOUSE_DATABASE', 'CLICKHOUSE_CLUSTER'],
    (e) => ({
      clickhouse: {
        url: e.CLICKHOUSE_URL,
        user: e.CLICKHOUSE_USER,
        password: e.CLICKHOUSE_PASSWORD,
        database: e.CLICKHOUSE_DATABASE,
        cluster: e.CLICKHOUSE_CLUSTER,
      },
    }),
  ),
  collector: group(
    [
      'HOST',
      'PORT',
      'BODY_LIMIT_BYTES',
      'EVENT_LIMIT_BYTES',
      'COLLECTOR_WRITE_KEYS',
      'COLLECTOR_SOURCES_FILE',
      'RATE_LIMIT_IP_RPS',
      'RATE_LIMIT_IP_BURST',
      'TRUSTED_PROXIES',
      'TRUST_PROXY',
      'BODY_TIMEOUT_MS',
      'CORS_ORIGINS',
      'PUBLISH_TIMEOUT_MS',
      'PUBLISH_MAX_EVENTS_PER_MESSAGE',
      'MAX_INFLIGHT_EVENTS',
      'MAX_INFLIGHT_BYTES',
      'GEOIP_DB',
      'IP_HASH_KEY',
    ],
    (e) => ({
      collector: {
        host: e.HOST,
        port: e.PORT,
        bodyLimitBytes: e.BODY_LIMIT_BYTES,
        publishTimeoutMs: e.PUBLISH_TIMEOUT_MS,
        maxEventsPerMessage: e.PUBLISH_MAX_EVENTS_PER_MESSAGE,
        maxInflightEvents: e.MAX_INFLIGHT_EVENTS,
        maxInflightBytes: e.MAX_INFLIGHT_BYTES,
        eventLimitBytes: e.EVENT_LIMIT_BYTES,
        /** Write-key sources; when empty, ingestion is open. */
        sources: (e.COLLECTOR_WRITE_KEYS ?? []) as Source[],
        sourcesFile: e.COLLECTOR_SOURCES_FILE,
        ipRateLimit: { rps: e.RATE_LIMIT_IP_RPS, burst: e.RATE_LIMIT_IP_BURST || Math.max(1, e.RATE_LIMIT_IP_RPS) },
        trustedProxies: e.TRUSTED_PROXIES,
        bodyTimeoutMs: e.BODY_TIMEOUT_MS,
        corsOrigins: list(e.CORS_ORIGINS),
        /** What the enrichment steps look things up with: a geo database file, the address-hash key. */
        geoDb: e.GEOIP_DB,
        ipHashKey: e.IP_HASH_KEY,
      },
    }),
  ),
  sink: group(
    [
      'HOST',
      'SINK_PORT',
      'SINK_BATCH_SIZE',
      'SINK_BATCH_WAIT_MS',
      'SINK_RETRY_BASE_MS',
      'SINK_RETRY_MAX_MS',
      'SINK_MAX_DELIVER',
      'SINK_ACK_WAIT_SECONDS',
    ],
    (e) => ({
      sink: {
        host: e.HOST,
        port: e.SINK_PORT,
        batchSize: e.SINK_BATCH_SIZE,
        batchWaitMs: e.SINK_BATCH_WAIT_MS,
        retryBaseMs: e.SINK_RETRY_BASE_MS,
        retryMaxMs: e.SINK_RETRY_MAX_MS,
        maxDeliver: e.SINK_MAX_DELIVER,
        ackWaitSeconds: e.SINK_ACK_WAIT_SECONDS,
      },
    }),
  ),
  relays: group(['RELAYS'], (e) => ({ relays: e.RELAYS as Relay[] })),
  archive: group(
    [
      'HOST',
      'ARCHIVE_PORT',
      'ARCHIVE_URL',
      'ARCHIVE_S3_ENDPOINT',
      'ARCHIVE_S3_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'ARCHIVE_FILE_BYTES',
      'ARCHIVE_FLUSH_SECONDS',
      'ARCHIVE_TIMEOUT_MS',
      'SINK_RETRY_BASE_MS',
      'SINK_RETRY_MAX_MS',
      'DATA_DIR',
    ],
    (e) => ({
      archive: {
        host: e.HOST,
        port: e.ARCHIVE_PORT,
        url: e.ARCHIVE_URL ?? `${e.DATA_DIR}/archive`,
        s3Endpoint: e.ARCHIVE_S3_ENDPOINT,
        s3Region: e.ARCHIVE_S3_REGION,
        accessKeyId: e.AWS_ACCESS_KEY_ID,
        secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
        fileBytes: e.ARCHIVE_FILE_BYTES,
        flushSeconds: e.ARCHIVE_FLUSH_SECONDS,
        timeoutMs: e.ARCHIVE_TIMEOUT_MS,
        retryBaseMs: e.SINK_RETRY_BASE_MS,
        retryMaxMs: e.SINK_RETRY_MAX_MS,
      },
    }),
  ),
  reader: group(
    [
      'READER_HOST',
      'READER_PORT',
      'READ_KEYS',
      'ADMIN_KEYS',
      'COLLECTOR_WRITE_KEYS',
      'CONSOLE_TOKEN',
      'READER_MAX_QUERIES',
      'READER_MAX_TAILS',
      'READER_QUERY_TIMEOUT_SECONDS',
      'READER_QUERY_MAX_MEMORY_BYTES',
      'CONSOLE_COLLECTORS',
      'CONSOLE_SINKS',
      'CONSOLE_ARCHIVERS',
      'PORT',
      'SINK_PORT',
      'ARCHIVE_PORT',
    ],
    (e) => ({
      reader: {
        host: e.READER_HOST,
        port: e.READER_PORT,
        readKeys: e.READ_KEYS ?? [],
        adminKeys: e.ADMIN_KEYS ?? [],
        limits: {
          queries: e.READER_MAX_QUERIES,
          tails: e.READER_MAX_TAILS,
          read: { seconds: e.READER_QUERY_TIMEOUT_SECONDS, memoryBytes: e.READER_QUERY_MAX_MEMORY_BYTES },
        },
        /** The collector's sources: their write keys are refused for reading; the console sends test events with
         *  the first. */
        sources: (e.COLLECTOR_WRITE_KEYS ?? []) as Source[],
        console: {
          token: e.CONSOLE_TOKEN,
          collectors: urls(e.CONSOLE_COLLECTORS) ?? [`http://127.0.0.1:${e.PORT}`],
          sinks: urls(e.CONSOLE_SINKS) ?? [`http://127.0.0.1:${e.SINK_PORT}`],
          archivers: urls(e.CONSOLE_ARCHIVERS) ?? [`http://127.0.0.1:${e.ARCHIVE_PORT}`],
        },
      },
    }),
  ),
  local: group(['DEMO_DATA', 'LOADGEN_RPS'], (e) => ({ demo: e.DEMO_DATA, loadgen: { rps: e.LOADGEN_RPS } })),
};

type Built<G extends keyof typeof GROUPS> = ReturnType<(typeof GROUPS)[G]['build']>;
type Union2Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every process's groups. `all` is what `npm start` (every process in one), the tools and the tests read. */
export const ROLES = {
  collector: ['base', 'nats', 'stream', 'collector'],
  sink: ['base', 'nats', 'stream', 'clickhouse', 'sink', 'relays'],
  archiver: ['base', 'nats', 'stream', 'archive'],
  reader: ['base', 'nats', 'stream', 'clickhouse', 'reader'],
  all: Object.keys(GROUPS) as (keyof typeof GROUPS)[],
} as const satisfies Record<string, readonly (keyof typeof GROUPS)[]>;
export type Role = keyof typeof ROLES;

/** The whole configuration (every group). */
export type Config = Union2Intersection<Built<keyof typeof GROUPS>>;
/** What a role's process is given. */
export type ConfigOf<R extends Role> = Union2Intersection<Built<(typeof ROLES)[R][number]>>;

/** The settings a role reads. */
export const settingsOf = (role: Role): SettingName[] => [
  ...new Set(ROLES[role].flatMap((g: keyof typeof GROUPS) => GROUPS[g].vars)),
];
