// shared/: what every part of edge-events uses — the schema catalog, configuration, logging,
// the ClickHouse connection, and the real services (nats-server, clickhouse-server) we spawn.
export * from './catalog/catalog.ts';
export * from './catalog/event-type.ts';
export { validateEvent, type Issue, type Validation } from './catalog/validate.ts';
export { catalogDdl, columnsOf, modernDialect, tableDdl, type Dialect } from './catalog/ddl.ts';
export { eventJsonSchema } from './catalog/json-schema.ts';
export { openApiDocument } from './catalog/openapi.ts';
export { formatUtc, parseEventTime } from './catalog/event-time.ts';
export { columnType } from './catalog/columns.ts';
export { loadConfig, loadConfigOrExit, ConfigError, ENV_VARS, SourcesSchema, type Config, type Relay, type Source } from './config.ts';
export { createLogger, type Logger } from './log.ts';
export { unreachable } from './unreachable.ts';
export * from './telemetry.ts';
export { connectClickHouse, waitForClickHouse, applySchema, EmbeddedEngineMissing, type ClickHouse } from './clickhouse/connect.ts';
export { capabilitiesOf, type Capabilities } from './clickhouse/capabilities.ts';
export { startNatsServer, type NatsServer } from './services/nats-server.ts';
export { startClickHouseServer, type ClickHouseServer } from './services/clickhouse-server.ts';
export { freePort } from './services/free-port.ts';
