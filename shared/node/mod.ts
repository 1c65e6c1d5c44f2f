// shared/node: the Node door of the base layer — structured logging (pino) and the tracing SDK. Runtime-neutral
// parts are behind shared/mod.ts; the ClickHouse connection behind shared/clickhouse/mod.ts.
export { createLogger, type Logger } from './log.ts';
export { startTracing } from './tracing.ts';
export { loadCatalogFiles } from './catalog-files.ts';
