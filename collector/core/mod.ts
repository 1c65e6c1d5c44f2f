// collector/core: the collector itself, runtime-neutral — plain request in (method, path, headers, bytes),
// plain response out: routes, CORS, write keys, rate limits, body limits and gzip, parse → validate → enrich →
// publish → answer. It reaches nothing runtime-specific (test/layout.test.ts); adapters serve it on Node, Deno
// and Bun.
export { createCollector, type Collector, type CollectorOptions } from './collector.ts';
export { bodyAdmission } from './admission.ts';
export { concatBytes } from './bytes.ts';
export { RequestFailed } from './http-error.ts';
export { newEventId } from './event-id.ts';
export { respond } from './respond.ts';
export type { CollectorObserver, CoreResponse, Source } from './types.ts';
