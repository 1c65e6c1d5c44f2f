// sink/: JetStream → ClickHouse. A durable pull consumer batches events per table, inserts them and
// acks only after the insert; poison is bisected out and dead-lettered; retryable failures are held.
export { startSink, type RunningSink } from './start.ts';
export { createDeliver, newSinkStats, type SinkStats } from './deliver.ts';
export { startPullLoop, pause, type PullLoop, type StopSignal } from './pull-loop.ts';
export { createDeadLetterer, type DeadLetter, type DeadLetterer } from './dead-letter.ts';
export { groupByTable } from './batcher.ts';
export { ndjsonBody, insertQuery } from './insert.ts';
export { decide, retryDelayMs, type Decision } from './retry.ts';
