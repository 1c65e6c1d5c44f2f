// sink/: JetStream → ClickHouse. A durable pull consumer batches events per table, inserts them and
// acks only after the insert; failures are nakked with backoff.
export { startSink, type RunningSink } from './start.ts';
export { startSinkLoop, type SinkLoop, type SinkStats } from './consumer.ts';
export { groupByTable } from './batcher.ts';
export { insertBody, insertQuery } from './insert.ts';
export { retryDelayMs } from './retry.ts';
