// process/: the kit every Node process of edge-events is made with (the collector core serves its own port): the
// entry point (configuration, tracing, stop signals), the status port (health, readiness, metrics) on one stack, the
// consumers' metrics, and the stop order.
export { runProcess } from './run.ts';
export { serveStatus } from './status-server.ts';
export { consumerMetrics } from './consumer-metrics.ts';
export { stopInOrder } from './stop.ts';
