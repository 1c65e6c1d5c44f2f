// collector/: the HTTP front door — a runtime-neutral core (parse → validate → enrich → publish)
// and thin runtime adapters. `startCollector` wires it to NATS on Node.
export { createCollector, type Collector, type CollectorOptions } from './core/collector.ts';
export type { CoreRequest, CoreResponse, Publisher } from './core/types.ts';
export { HttpError } from './core/http-error.ts';
export { serveNode, type NodeServer } from './adapters/node-uws.ts';
export { startCollector, type RunningCollector } from './start.ts';
