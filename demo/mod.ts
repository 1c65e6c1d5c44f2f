// demo/: clients that exercise edge-events through its real front door, the collector: demo data (npm run demo,
// DEMO_DATA in npm start) and the load generator (npm run loadgen, LOADGEN_RPS inside npm start).
export { describeLoad, startLoadgen } from './loadgen.ts';
export { demoSize, sendDemo } from './data.ts';
