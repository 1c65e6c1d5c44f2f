// shared/: the base layer every part builds on. This door is runtime-neutral (Node, Deno, Bun, a browser) and holds
// what the collector core needs at run time: the event catalog (valibot schemas → validation), the tracing API, the
// publishing seam, how events are named on the wire (subjects, routes, message ids), waiting with backoff, the
// transient-error check, keys held as digests and URLs shown without their credentials (redactUrl). The catalog's
// other audiences have their own doors: shared/schema/mod.ts (ClickHouse DDL, cluster dialect, diff, marts) and
// shared/docs/mod.ts (OpenAPI, JSON Schema, SDK types, example events); so has each process's configuration:
// shared/config/mod.ts. Node-only parts (ClickHouse connection, logging, the tracing SDK) are behind shared/node/mod.ts
// and shared/clickhouse/mod.ts. Nothing here imports node:* or any part above it.
export { buildCatalog, type Catalog } from './catalog/catalog.ts';
export type { EventType } from './catalog/event-type.ts';
export { ENRICHMENT_FIELDS, type Enrichment } from './catalog/enrichment.ts';
export { allows, grantedOf, type Consent, type Granted } from './catalog/consent.ts';
export { describePrivacy, privacyOf, type TypePrivacy } from './catalog/privacy.ts';
export { catalogFromSources, CatalogError, type CatalogSource } from './catalog/load.ts';
export { catalogFromData } from './catalog/from-data.ts';
export type { FieldSpec, ScalarSpec, TypeSpec } from './catalog/spec.ts';
export { validateEvent, type Issue } from './catalog/validate.ts';
export { formatUtc, parseEventTime } from './catalog/event-time.ts';
export { columnType, isNullable } from './catalog/columns.ts';
export { segmentCalls, segmentMessage, type SegmentMessage } from './catalog/segment-message.ts';
export { isUnreachable } from './transient.ts';
export { Refused, exitIfRefused } from './refused.ts';
export { isRecord } from './is-record.ts';
export { onStopSignal } from './stop-signal.ts';
export { pause, retrying, retryDelayMs, type StopSignal } from './backoff.ts';
export type { NotStored, NotStoredReason, OutgoingEvent, Publisher } from './publish.ts';
export * from './wire-names.ts';
export * from './telemetry.ts';
export { KeySet, digestOfKey, keyDigestText } from './secrets.ts';
export { redactUrl } from './redact-url.ts';
// IP addresses and ranges: the client's address behind trusted proxies (the collector core), TRUSTED_PROXIES (config).
export {
  formatIp,
  inRange,
  parseForwardedAddress,
  parseIp,
  parseIpRange,
  parseTrustedProxies,
  type IpAddress,
  type IpRange,
  type TrustedProxies,
} from './ip-address.ts';
