// reader/: the reading process — answers from ClickHouse for other services and people: GET /v1/events (keyset
// pagination) and the reports (reports/, one file each), with read keys; the web console (console/) and the API docs.
export { readerApp } from './app.ts';
export { startReader, type RunningReader } from './start.ts';
export { dayCacheOf } from './day-cache.ts';
export { parametersOf, reportPath, reports } from './reports/mod.ts';
export { parseQuery } from './params.ts';
export { ReaderError } from './errors/mod.ts';
