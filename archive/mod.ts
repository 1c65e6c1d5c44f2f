// archive/: the cold tier (seed 003's batch saver). Every event is also written, by the archiver's own durable
// consumer, to Parquet files in object storage (S3-compatible, or a folder), one per event table and hour; listed and
// replayed into the pipeline by `npm run archive`, read by ClickHouse with s3() or file().
export { startArchiver, type RunningArchiver } from './start.ts';
export { openStore, type ObjectStore } from './store.ts';
export { readParquet } from './parquet.ts';
export { archivedFiles, replay, summarize, typeNamed, type ReplayProgress } from './replay.ts';
