// reader/: the reading process — answers from ClickHouse for other services and people: GET /v1/events (keyset
// pagination) and the reports, with read keys. The console and the API docs are to come here too (#14).
export { readerApp, type ReaderOptions } from './app.ts';
export { startReader, type RunningReader } from './start.ts';
export { dayCacheOf } from './day-cache.ts';
