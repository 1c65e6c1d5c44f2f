// sink/: JetStream → ClickHouse. A durable pull consumer batches events per table, inserts them and
// acks only after the insert; poison is bisected out and dead-lettered; retryable failures are held;
// relays republish to other systems. The CLIs (query, dlq, schema) sit beside it.
export { startSink, type RunningSink } from './start.ts';
export { insertRows } from './service.ts';
