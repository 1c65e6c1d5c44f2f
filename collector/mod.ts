// collector/: the HTTP front door — a runtime-neutral core (parse → validate → enrich → publish)
// and thin runtime adapters. `startCollector` runs it on Node behind uWebSockets.js.
export { createCollector, type Collector } from './core/mod.ts';
export { startCollector, type RunningCollector } from './start.ts';
