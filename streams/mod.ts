// streams/: the JetStream side of edge-events — topology as data, its idempotent apply, the
// connection helper and the publisher the collector awaits.
export * from './definitions.ts';
export { applyConfiguredTopology, describeChange } from './apply.ts';
export { connectNats, type NatsLink, type NatsConnection } from './connect.ts';
export { createPublisher, type PublisherOptions } from './publisher.ts';
export { countEvents, eventsIn, joinLines, messageIdOf, packLines } from './container.ts';
export {
  catalogOfPublished,
  digestOf,
  followCatalog,
  openCatalogRegistry,
  type CatalogRegistry,
  type LiveCatalog,
  type PublishedCatalog,
} from './catalog-registry.ts';
export { readLetters, redrive, redriveSelected, showLetter, type Letter, type LetterFilter } from './dead-letters.ts';
export { isElecting, throughElection } from './election.ts';
export { startPullLoop, type PullLoop, type PullLoopOptions } from './pull-loop.ts';
