// local/: edge-events on one machine — `npm start` (local/start.ts) and the server processes it owns: a nats-server
// child with its store in DATA_DIR and a user per role, started, stopped, and killed with us. Test support builds on
// the same runner.
export { startNatsServer, type NatsServer } from './nats-server.ts';
export { serverControl, spawnOwned, waitFor, type OwnedProcess, type ServerControl } from './process.ts';
export { writeLocalNatsUsers, type LocalNatsUsers } from './nats-users.ts';
