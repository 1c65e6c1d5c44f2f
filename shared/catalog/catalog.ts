// The schema catalog: every event type the pipeline knows, and how a client's name for a type
// (`PageVisit`, `page_visit`, or any other event name → generic) resolves to one.
import type { EventType } from './event-type.ts';
import { generic } from './generic.ts';
import { marketplace } from './marketplace.ts';
import { movieView } from './movies.ts';
import { playback } from './playback.ts';
import { segmentEvent } from './segment.ts';

export const eventTypes: readonly EventType[] = [generic, ...marketplace, movieView, playback, segmentEvent];
export { generic, movieView, playback, segmentEvent };

const byName = new Map<string, EventType>();
for (const type of eventTypes) {
  for (const name of [type.name, type.key, type.name.toLowerCase()]) byName.set(name, type);
}
const byKey = new Map(eventTypes.map((t) => [t.key, t]));

/** The type named exactly (seed spelling or snake_case), or undefined. */
export function findEventType(name: string): EventType | undefined {
  return byName.get(name);
}

/** The type of a subject token (`events.<key>`), as the sink sees it. */
export function eventTypeByKey(key: string): EventType | undefined {
  return byKey.get(key);
}

/** The type an event names in its `event` field; unknown or missing names are generic events. */
export function eventTypeOf(input: Record<string, unknown>): EventType {
  const name = input.event;
  return (typeof name === 'string' && byName.get(name)) || generic;
}
