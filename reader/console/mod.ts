// reader/console: the web console the reading process serves under /console — pages for the live pipeline, events,
// dead letters, reports, the catalog and the API docs (web/, bundled for browsers), and the routes they call.
export { consoleRoutes, type ConsoleOptions } from './api.ts';
export { OverviewSampler } from './overview.ts';
export type { Overview } from './overview-types.ts';
export { bodyOf } from './inputs.ts';
