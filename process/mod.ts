// process/: the kit every Node process of edge-events is made with (the collector core serves its own port): the
// entry point (configuration, tracing, stop signals), the status port (health, readiness, metrics) on one stack, the
// consumers' metrics, and the stop order.
export { runProcess, type Running } from './run.ts';
export { serveStatus, type StatusOptions, type StatusServer } from './status-server.ts';
export { consumerMetrics } from './consumer-metrics.ts';
export { stopInOrder, type StopStep } from './stop.ts';
