// test/support: what the tests and benchmarks stand on, never imported by product code — real nats-server and
// clickhouse-server on loopback in a temporary folder, the suites that start and stop them around their tests, the
// collector and the sink in-process or as their own processes, an SDK-like client load, and the event-by-event check
// of what landed (the fault suite uses them all); and, for the layout and tiers tests, the import graph and which
// tier each test runs in.
export * from './harness.ts';
export { askNode, startClickHouseServer, type ClickHouseServer } from './clickhouse-server.ts';
export { startNatsServer, type NatsServer } from '../../local/mod.ts';
export { spawnService, waitReady, type Role, type ServiceProcess } from './processes.ts';
export { runLoad, loadEventId, type LoadOptions, type LoadResult } from './load.ts';
export { checkLanding, type Landing } from './verify.ts';
export {
  CLUSTER_FAULTS,
  FAULTS,
  reportTable,
  runFaultScenario,
  type Fault,
  type FaultReport,
  type FaultSize,
} from './fault-suite.ts';
export { landingSuite } from './landing.ts';
export { closure, cycles, importGraph, isNodeBuiltin, type ImportGraph } from './import-graph.ts';
export { testFiles, tierOf, UNIT_IN_TEST, type Tier } from './tiers.ts';
export { natsServerBinary, startNatsCluster, type NatsCluster } from './nats-cluster.ts';
export { startS3, type S3 } from './s3.ts';
export { natsSuite, pipelineSuite, servicesSuite, type ServicesContext } from './suites.ts';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
