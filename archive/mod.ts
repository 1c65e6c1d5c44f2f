// archive/: the cold tier (seed 003's batch saver). Every event is also written, by the archiver's own durable
// consumer, to Parquet files in object storage (S3-compatible, or a folder), one per event table and hour; listed and
// replayed into the pipeline by `npm run archive`, read by ClickHouse with s3() or file().
export { startArchiver, type RunningArchiver } from './start.ts';
export { createArchiver, type Archiver, type ArchiverStats } from './archiver.ts';
export { openStore, StoreError, type ObjectStore, type StoredObject } from './store.ts';
export { hourFolder, objectKey, parseKey, type ObjectName } from './layout.ts';
export { readParquet, writeParquet, parquetColumns, parquetFooter } from './parquet.ts';
export {
  archivedFiles,
  replay,
  summarize,
  typeNamed,
  type ArchivedFile,
  type ReplayProgress,
  type TableSummary,
} from './replay.ts';
