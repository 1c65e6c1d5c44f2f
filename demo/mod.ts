// demo/: clients that exercise edge-events through its real front door, the collector: demo data (npm run demo,
// DEMO_DATA in npm start) and the load generator (npm run loadgen, LOADGEN_RPS inside npm start).
export { describeLoad, startLoadgen, type Loadgen, type LoadgenOptions, type LoadgenStats } from './loadgen.ts';
export { demoDays, demoSize, sendDemo, type DemoOptions } from './data.ts';
