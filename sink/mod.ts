// sink/: JetStream → ClickHouse. A durable pull consumer batches events per table, inserts them and
// acks only after the insert; poison is bisected out and dead-lettered; retryable failures are held;
// relays republish to other systems. Its command-line tools (catalog apply, query) are in cli/.
export { startSink, type RunningSink } from './start.ts';
export { insertRows } from './service.ts';
export { insertIsolating } from './isolate.ts';
export { decidePublish } from './retry-logic.ts';
export { applyCatalog } from './catalog.ts';
export { askRunningSink, QUERY_SETTINGS } from './local-query.ts';
