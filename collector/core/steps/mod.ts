// The ingest steps, in the order they run between validation and the published row. Adding one is its file and its
// line here; a step runs for the types it wants (enrichment: the type's catalog `enrich:`), stepsOf() lists them.
import type { EventType } from '../../../shared/mod.ts';
import { bots } from './bots.ts';
import { catalogVersion } from './catalog-version.ts';
import { consent } from './consent.ts';
import { eventId } from './event-id.ts';
import { geo } from './geo.ts';
import { ip } from './ip.ts';
import { receivedAt } from './received-at.ts';
import { suppression } from './suppression.ts';
import type { Step } from './step.ts';
import { userAgent } from './user-agent.ts';

export type { DropReason, Lookups, Step, StepContext, StepDrop, StepRefusal } from './step.ts';

/** Every step, in order: an event to drop (a suppressed person's, no consent, a bot) is known before any work is
 *  spent on it. */
export const STEPS: readonly Step[] = [
  eventId,
  suppression,
  consent,
  bots,
  userAgent,
  geo,
  ip,
  receivedAt,
  catalogVersion,
];

if (new Set(STEPS.map((s) => s.name)).size !== STEPS.length) throw new Error('two ingest steps share a name');

const ofType = new WeakMap<EventType, readonly Step[]>();

/** The steps events of `type` run, in order (worked out once per compiled type). */
export function stepsOf(type: EventType, steps: readonly Step[] = STEPS): readonly Step[] {
  if (steps !== STEPS) return steps.filter((s) => s.wanted?.(type) ?? true);
  let mine = ofType.get(type);
  if (!mine) ofType.set(type, (mine = steps.filter((s) => s.wanted?.(type) ?? true)));
  return mine;
}
