// streams/: the JetStream side of edge-events — topology as data and its idempotent apply, the connection helper,
// the message format on `events.<type>` and the publisher the collector awaits, the one runner every durable consumer
// (sink, archiver, relays) is made of (pull, deliver, settle: ack, retry, dead-letter), dead letters read and
// redriven, the published catalog versions in NATS KV and the catalog in force every process follows, waiting
// through an election, and the NATS user of each role with what it may do (permissions.ts).
export {
  ARCHIVER_CONSUMER,
  ARCHIVER_MAX_PENDING,
  archiverAckWaitSeconds,
  consumerSpecs,
  DLQ_STREAM,
  EVENTS_STREAM,
  RELAYED_STREAM,
  relayConsumer,
  REPLAY_HEADER,
  SINK_CONSUMER,
  streamSpecs,
} from './definitions.ts';
export { applyConfiguredTopology, describeChange } from './apply.ts';
export {
  connectNats,
  localPasswordFile,
  natsAccessOf,
  natsOptions,
  type NatsAccess,
  type NatsConnection,
  type NatsLink,
} from './connect.ts';
export {
  inboxPrefixOf,
  NATS_ROLES,
  natsAuthorization,
  passwordVariableOf,
  permissionsOf,
  type NatsRole,
} from './permissions.ts';
export { createPublisher } from './publisher.ts';
export { countEvents, eventsIn, joinLines, messageIdOf, packLines } from './container.ts';
export {
  catalogOfPublished,
  digestOf,
  followCatalog,
  openCatalogRegistry,
  type CatalogRegistry,
  type LiveCatalog,
} from './catalog-registry.ts';
export { eraseLetters, readLetters, redrive, showLetter, type LetterFilter } from './dead-letters.ts';
export { RedriveError, requestRedrive, serveRedrives, type RedriveRequest } from './redrive-requests.ts';
export {
  ERASURE_PLACES,
  followPrivacy,
  ForgetList,
  openPrivacyRegister,
  serveErasures,
  statusOf,
  type Erasure,
  type ErasurePlace,
  type PrivacyRegister,
} from './privacy-register.ts';
export { isElecting, throughElection } from './election.ts';
export { catalogInForce, catalogRegistry } from './catalog-in-force.ts';
export {
  startConsumer,
  type ConsumerOptions,
  type Destination,
  type MessageBuffer,
  type RunningConsumer,
} from './consumer.ts';
export {
  attemptOf,
  newConsumerStats,
  noAttempt,
  type Attempt,
  type ConsumerStats,
  type Decision,
  type Refused,
  type Retry,
} from './delivery.ts';
export { createDeadLetterer } from './dead-letterer.ts';
export { settle, type SettleOptions } from './settle.ts';
