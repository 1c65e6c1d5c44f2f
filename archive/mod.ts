// archive/: the cold tier (seed 003's batch saver). Every event is also written, by the archiver's own durable
// consumer (a buffering destination of the consumer runner, streams/), to Parquet files in object storage
// (S3-compatible, or a folder), in a folder per event table and hour; listed and replayed into the pipeline by
// `npm run archive` (cli/archive.ts), read by ClickHouse with s3() or file().
export { startArchiver, type RunningArchiver } from './start.ts';
export { openStore, type ObjectStore } from './store.ts';
export { readParquet } from './parquet.ts';
export { archivedFiles, replay, summarize, typeNamed, type ReplayProgress } from './replay.ts';
export { eraseFromArchive, type ArchiveErasure } from './erase.ts';
