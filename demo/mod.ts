// demo/: clients that exercise edge-events through its real front door, the collector: the load generator (npm run
// loadgen, LOADGEN_RPS inside npm start).
export { describeLoad, startLoadgen, type Loadgen, type LoadgenOptions, type LoadgenStats } from './loadgen.ts';
