// Every setting a process reads, declared once: its environment variable, the schema its text is parsed with (and
// its default), and what it does — the README's table of settings is generated from this list.
import * as v from 'valibot';
import { decimal, flag, int, jetStreamDomain, jetStreamDomains, keyList, sqlName, trustedProxies } from './fields.ts';
import { archiveUrl, httpUrl, httpUrls, listenHost, localPath, localPaths, natsUrls } from './places.ts';
import { RelaySchema, SourcesSchema } from './sources.ts';

interface Setting {
  schema: v.GenericSchema<string | undefined, unknown>;
  /** What it does, for the README (markdown). */
  what: string;
  /** The default as people read it, where the schema's own default does not say it (or there is none). */
  shown?: string;
  /** The tool that reads it, where no process does (the README's "read by"). */
  by?: string;
}

const s = <S extends Setting['schema']>(schema: S, what: string, shown?: string, by?: string) => ({
  schema,
  what,
  shown,
  by,
});
const jsonOf = <T extends v.GenericSchema>(schema: T) =>
  v.pipe(v.string(), v.parseJson(undefined, 'expected JSON'), schema);

export const SETTINGS = {
  EVENT_CATALOG: s(
    v.optional(localPaths('YAML files or folders'), 'catalog'),
    'the event catalog: YAML files or folders, comma-separated (see *Your own events*)',
  ),
  DATA_DIR: s(v.optional(localPath('a folder'), '.data'), 'local state of `npm start` and the embedded engine'),
  LOG_LEVEL: s(
    v.optional(v.picklist(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']), 'info'),
    'pino level; logs are JSON lines',
  ),
  // OpenTelemetry's own variables: tracing is on when an endpoint is set (the SDK reads the rest).
  OTEL_EXPORTER_OTLP_ENDPOINT: s(
    v.optional(httpUrl('http://otel-collector:4318', { query: true })),
    'traces over OTLP/HTTP (see *Observability*)',
    'off',
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: s(
    v.optional(httpUrl('http://otel-collector:4318/v1/traces', { query: true })),
    'the traces endpoint alone',
    'off',
  ),
  OTEL_SERVICE_NAME: s(v.optional(v.string()), 'the service name on spans', '`edge-events-<role>`'),
  OTEL_SDK_DISABLED: s(flag(false), 'tracing off whatever the endpoint'),
  NATS_URL: s(
    v.optional(natsUrls),
    'comma-separated NATS server URLs: `nats://` or `tls://` (or `host:port`)',
    'local child (`npm start`), else `nats://127.0.0.1:4222`',
  ),
  NATS_USER: s(
    v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected letters, digits, _ or -'))),
    "the NATS user the process connects as: its role's, `collector`, `sink`, `archiver`, `reader` or `jobs` " +
      '(see *NATS users*)',
    'none (a server without users; the tools beside `npm start`: their role)',
  ),
  NATS_PASSWORD: s(v.optional(v.string()), "that user's password (from a Secret)", 'none'),
  NATS_CA_FILE: s(
    v.optional(v.pipe(v.string(), v.minLength(1))),
    "the CA certificate (PEM) the NATS servers' certificates are checked against; TLS is then required (as it is " +
      'with `tls://` URLs)',
    'the system CAs',
  ),
  STREAM_MAX_AGE_SECONDS: s(int(7 * 24 * 3600), 'stream EVENTS keeps events this long', '7 days'),
  STREAM_MAX_BYTES: s(
    int(10 * 1024 ** 3),
    'stream EVENTS size limit: when full it refuses new events (503) and never drops unread ones',
    '10 GiB',
  ),
  STREAM_DUPLICATE_WINDOW_SECONDS: s(int(120, 1), 'how long JetStream remembers message ids'),
  STREAM_REPLICAS: s(int(1, 1), 'replicas of every stream and of the catalog bucket'),
  EDGE_POP_DOMAINS: s(
    v.optional(jetStreamDomains),
    'at the hub: the JetStream domains of the points of presence (comma-separated) whose stream EVENTS the ' +
      "hub's EVENTS sources (see *Running at the edge*)",
    'none',
    '`npm run streams:apply`',
  ),
  EDGE_HUB_DOMAIN: s(
    v.optional(jetStreamDomain),
    "at a point of presence: the hub's JetStream domain. `npm run streams:apply` then makes this POP's stream " +
      "EVENTS and mirrors of the hub's catalog and privacy buckets, and no consumers",
    'none (not a POP)',
    '`npm run streams:apply`',
  ),
  CLICKHOUSE_URL: s(
    v.optional(httpUrl('http://clickhouse:8123', { query: true })),
    'HTTP(S) URL of a ClickHouse server',
    'embedded engine',
  ),
  CLICKHOUSE_USER: s(v.optional(v.string(), 'default'), 'ClickHouse user'),
  CLICKHOUSE_PASSWORD: s(v.optional(v.string(), ''), 'ClickHouse password', 'empty'),
  CLICKHOUSE_DATABASE: s(v.optional(sqlName, 'edge_events'), 'created at sink start, with every table'),
  CLICKHOUSE_CLUSTER: s(
    v.optional(sqlName),
    "a cluster of the servers' `remote_servers`: replicated tables on every node behind Distributed tables " +
      '(shared/schema/cluster.ts, see *Clusters*)',
    'none (one node)',
  ),
  HOST: s(
    v.optional(listenHost, '0.0.0.0'),
    'listen address of the collector, and of the sink and archiver status ports (`npm start`: `127.0.0.1`)',
  ),
  PORT: s(int(8080), 'the collector port'),
  BODY_LIMIT_BYTES: s(int(1024 * 1024, 1), 'per-request body limit, compressed and inflated (413 over it)'),
  EVENT_LIMIT_BYTES: s(int(32 * 1024, 1), 'per-event limit (413 over it)'),
  COLLECTOR_WRITE_KEYS: s(
    v.optional(jsonOf(SourcesSchema)),
    'sources, JSON: `[{"name":"web","key":"…","types":["PageVisit"],"rate_limit":{"rps":500}}]`',
    'none (open)',
  ),
  COLLECTOR_SOURCES_FILE: s(v.optional(localPath('a file')), 'the same JSON, in a file (a mounted Secret)', 'none'),
  RATE_LIMIT_IP_RPS: s(decimal('0'), 'requests per second per client IP (IPv6: per /64)', '`0` (off)'),
  RATE_LIMIT_IP_BURST: s(decimal('0'), 'burst per client IP', 'the rate'),
  TRUSTED_PROXIES: s(
    trustedProxies,
    'the proxies in front of the collector whose `X-Forwarded-For` entries count: how many (`1`: one load balancer) ' +
      'or their addresses (CIDRs, comma-separated; `private`, `loopback`); the client is the rightmost address ' +
      'not theirs',
    'none: the peer address is the client',
  ),
  TRUST_PROXY: s(
    v.pipe(
      flag(false),
      v.check(
        (on) => !on,
        'retired: it trusted the leftmost X-Forwarded-For entry, which the client writes; set TRUSTED_PROXIES ' +
          "instead (`1` behind one load balancer, or the proxies' CIDRs)",
      ),
    ),
    'retired: `true` is refused at start; use `TRUSTED_PROXIES`',
  ),
  BODY_TIMEOUT_MS: s(
    int(10_000, 100),
    'a request body not received in full this long after its headers is dropped (slow clients, slowloris)',
  ),
  CORS_ORIGINS: s(v.optional(v.string(), '*'), 'browser origins allowed: comma-separated, or `*`'),
  GEOIP_DB: s(
    v.optional(localPath('a file')),
    'a MaxMind-format database (GeoLite2 City or Country, …) for the types that ask for geo; without it, the ' +
      'country database shipped with edge-events (geo-whois-asn-country, CC0: countries only)',
    'the shipped one',
  ),
  IP_HASH_KEY: s(
    v.optional(v.pipe(v.string(), v.minLength(16, 'at least 16 characters'))),
    'the key of the daily address hash (types with `enrich: { ip: hash }`): the same on every collector, so a ' +
      "day's hashes match across them; without it each collector makes its own at start",
    'one per process',
  ),
  PUBLISH_TIMEOUT_MS: s(int(2000, 1), 'how long the collector waits for a PubAck before 503'),
  PUBLISH_MAX_EVENTS_PER_MESSAGE: s(
    int(500, 1),
    'events of one type arriving together share a JetStream message (NDJSON); `1` gives each event its own, ' +
      'with its event_id in its Nats-Msg-Id',
  ),
  MAX_INFLIGHT_EVENTS: s(int(20_000, 1), 'events awaiting a PubAck, across requests (503 past it)'),
  MAX_INFLIGHT_BYTES: s(int(64 * 1024 * 1024, 1), 'request bytes being read or awaiting storage (503 past it)'),
  SINK_PORT: s(int(8081), 'sink `/healthz`, `/readyz`, `/metrics` (and `/query` on the embedded engine)'),
  SINK_BATCH_SIZE: s(
    int(1000, 1),
    'fetch up to this many messages (each of 1–500 events, ≤ 256 KiB): bounds a batch in memory',
  ),
  SINK_BATCH_WAIT_MS: s(int(1000, 1000), 'a fetch waits at most this long for its batch'),
  SINK_RETRY_BASE_MS: s(int(1000, 1), 'retry delay of every consumer: exponential from this base, jittered'),
  SINK_RETRY_MAX_MS: s(int(60_000, 1), 'the retry delay is capped here'),
  SINK_MAX_DELIVER: s(int(10, 1), 'a message delivered more often is dead-lettered before any insert'),
  SINK_ACK_WAIT_SECONDS: s(
    int(30, 1),
    'how soon JetStream redelivers what a dead sink held (at least twice `SINK_BATCH_WAIT_MS`; a live sink keeps ' +
      'slow batches with `working()`)',
  ),
  RELAYS: s(
    v.optional(
      v.pipe(
        jsonOf(v.array(RelaySchema)),
        v.check((rs) => new Set(rs.map((r) => r.name)).size === rs.length, 'relay names must be unique'),
      ),
      '[]',
    ),
    'relay targets, JSON: `[{"name":"crm","kind":"nats"}, {"name":"hook","kind":"webhook","url":"https://…",' +
      '"secret_env":"HOOK_SECRET"}]`; a webhook is signed with the secret in the variable `secret_env` names ' +
      '(see *Relays*)',
  ),
  ARCHIVE_URL: s(
    v.optional(archiveUrl),
    'the cold tier: `s3://bucket/prefix`, `http(s)://host:port/bucket/prefix` (an S3-compatible server, ' +
      'path-style), or a folder (see *The cold tier*)',
    '`DATA_DIR/archive`',
  ),
  ARCHIVE_S3_ENDPOINT: s(
    v.optional(httpUrl('http://minio:9000')),
    "an S3-compatible server's URL for an `s3://` ARCHIVE_URL (MinIO, R2…; path-style requests)",
    'AWS S3',
  ),
  ARCHIVE_S3_REGION: s(v.optional(v.string(), 'us-east-1'), 'the S3 region'),
  AWS_ACCESS_KEY_ID: s(v.optional(v.string()), "the archiver's S3 key id", 'none'),
  AWS_SECRET_ACCESS_KEY: s(v.optional(v.string()), "the archiver's S3 secret", 'none'),
  ARCHIVE_FILE_BYTES: s(
    int(64 * 1024 * 1024, 1024),
    'a file is written once its events reach this many bytes (as JSON; the Parquet file is several times smaller)',
  ),
  ARCHIVE_FLUSH_SECONDS: s(int(300, 1), '…or this long after its first event arrived'),
  ARCHIVE_TIMEOUT_MS: s(int(10_000, 100), 'every object store request fails after this (then retried with backoff)'),
  ARCHIVE_PORT: s(int(8083), 'archiver `/healthz`, `/readyz`, `/metrics`'),
  READER_HOST: s(v.optional(listenHost, '127.0.0.1'), "the reading API's address (loopback unless set)"),
  READER_PORT: s(int(8082), "the reading API's port"),
  READ_KEYS: s(
    v.optional(keyList(8, 'read')),
    'keys that may read (comma-separated, Bearer or `X-Read-Key`; each may be given as `sha256:<hex>` of the key); ' +
      'write keys never can',
    'none (open to local requests on loopback only)',
  ),
  ADMIN_KEYS: s(
    v.optional(keyList(16, 'admin')),
    'keys that may ask for and follow erasure requests (`/v1/privacy/deletions`; Bearer or `X-Admin-Key`; each ' +
      'may be given as `sha256:<hex>`); read keys and the console cannot',
    'none (the privacy routes are shut)',
  ),

  CONSOLE_TOKEN: s(
    v.optional(v.pipe(v.string(), v.minLength(8, 'the console token must be at least 8 characters'))),
    'signs in to the console (or `sha256:<hex>` of it); only its sessions redrive and send test events',
    'none',
  ),
  READER_MAX_QUERIES: s(int(8, 1), 'ClickHouse reads the reading process runs at once (429 past it)'),
  READER_MAX_TAILS: s(int(16, 1), "the console's live tails open at once per reading process (429 past it)"),
  READER_QUERY_TIMEOUT_SECONDS: s(int(30, 1), "each read's `max_execution_time` (503 past it)"),
  READER_QUERY_MAX_MEMORY_BYTES: s(int(1024 ** 3, 1), "each read's `max_memory_usage` (503 past it)", '1 GiB'),
  CONSOLE_COLLECTORS: s(
    v.optional(httpUrls('http://collector:8080')),
    'base URLs (comma-separated) of the collectors whose `/metrics` and `/readyz` the console reads; test events ' +
      'go to the first',
    "this machine's `PORT`",
  ),
  CONSOLE_SINKS: s(v.optional(httpUrls('http://sink:8081')), 'the same, of the sinks', "this machine's `SINK_PORT`"),
  CONSOLE_ARCHIVERS: s(
    v.optional(httpUrls('http://archiver:8083')),
    'the same, of the archivers',
    "this machine's `ARCHIVE_PORT`",
  ),
  DEMO_DATA: s(flag(false), '`npm start` fills an empty database with six months of demo data (see *Demo data*)'),
  LOADGEN_RPS: s(
    decimal('0', true),
    '`npm start` also sends the catalog’s events at this rate through its collector',
    '`0` (off)',
  ),
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;
/** Every setting's parsed value. */
export type Env = { [K in SettingName]: v.InferOutput<(typeof SETTINGS)[K]['schema']> };
