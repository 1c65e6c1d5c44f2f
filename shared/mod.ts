// shared/: the base layer every part builds on. This door is runtime-neutral (Node, Deno, Bun, a browser): the event
// catalog (valibot schemas → validation, DDL, JSON Schema, OpenAPI), the configuration schema, the tracing API, the
// publishing seam, how events are named on the wire (subjects, routes, message ids) and the transient-error check.
// Node-only parts (ClickHouse, logging, the tracing SDK) are behind shared/node/mod.ts. Nothing here imports node:*
// or any part above it.
export { buildCatalog, type Catalog } from './catalog/catalog.ts';
export type { EventType, Fields } from './catalog/event-type.ts';
export { catalogFromSources, CatalogError, type CatalogSource } from './catalog/load.ts';
export type { TypeSpec } from './catalog/spec.ts';
export { diffCatalogs, describeCatalogChange, type CatalogChange } from './catalog/diff.ts';
export { generatedFiles } from './catalog/generated-files.ts';
export { validateEvent, type Issue, type Validation } from './catalog/validate.ts';
export {
  catalogDdl,
  columnsOf,
  columnTypes,
  derivedDdl,
  eventTable,
  latestOf,
  modernDialect,
  tableDdl,
  ttlClause,
  type Column,
  type Dialect,
} from './catalog/ddl.ts';
export {
  addColumns,
  alterTable,
  backfill,
  createTable,
  createView,
  replaceDistributed,
  storedIn,
  type TableSpec,
  type ViewSpec,
} from './catalog/cluster.ts';
export { martNames, martsOf, type Mart } from './catalog/marts.ts';
export { exampleEvent } from './catalog/examples.ts';
export { eventJsonSchema } from './catalog/json-schema.ts';
export { openApiDocument } from './catalog/openapi.ts';
export { formatUtc, parseEventTime } from './catalog/event-time.ts';
export { columnType } from './catalog/columns.ts';
export { segmentCalls, segmentMessage, type SegmentMessage } from './catalog/segment-message.ts';
export {
  loadConfig,
  loadConfigOrExit,
  typeKeysOf,
  ConfigError,
  ENV_VARS,
  SourcesSchema,
  type Config,
  type Relay,
  type Source,
} from './config.ts';
export { isUnreachable } from './transient.ts';
export { Refused, exitIfRefused } from './refused.ts';
export { isRecord } from './is-record.ts';
export { onStopSignal } from './stop-signal.ts';
export { pause, retryDelayMs, type StopSignal } from './backoff.ts';
export type { NotStored, NotStoredReason, OutgoingEvent, Publisher } from './publish.ts';
export * from './wire-names.ts';
export * from './telemetry.ts';
