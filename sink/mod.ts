// sink/: JetStream → ClickHouse, and the relays. The sink is a destination of the consumer runner (streams/): its
// batch path (sink.ts) inserts events per table and the runner acks only after the insert; poison is bisected out
// and dead-lettered; retryable failures are held (the retry logic of every target: retry-logic.ts). It brings a
// catalog into force (catalog.ts: migrate ClickHouse, then publish the version). Relays republish to other systems
// on the same runner. Its command-line tools (catalog apply, query) are in cli/.
export { startSink, type RunningSink } from './start.ts';
export { insertRows } from './service.ts';
export { insertIsolating } from './isolate.ts';
export { decidePublish } from './retry-logic.ts';
export { applyCatalog } from './catalog.ts';
export { askRunningSink, QUERY_SETTINGS } from './local-query.ts';
