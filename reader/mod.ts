// reader/: the reading process — answers from ClickHouse for other services and people: GET /v1/events (keyset
// pagination) and the reports (reports/: a registry, one file each); the web console (console/, its writes in
// console/writes.ts) and the API docs; who may reach what, and how much at once (access/). What cannot be answered is
// a ReaderError (errors/).
export { readerApp } from './app.ts';
export { startReader, type RunningReader } from './start.ts';
export { dayCacheOf } from './day-cache.ts';
export { parametersOf, reportPath, reports } from './reports/mod.ts';
export { parseQuery } from './params.ts';
export { ReaderError } from './errors/mod.ts';
/** The limits every read carries (tests check that each engine takes them). */
export { limitedQuery } from './select.ts';
