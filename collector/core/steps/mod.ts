// The ingest steps, in the order they run between validation and the published row. Adding one is its file and its
// line here; a type may later choose steps by name (stepNamed).
import { catalogVersion } from './catalog-version.ts';
import { eventId } from './event-id.ts';
import { receivedAt } from './received-at.ts';
import type { Step } from './step.ts';

export type { Step, StepContext, StepRefusal } from './step.ts';

/** Every step, in order; today each runs for every event of every type. */
export const STEPS: readonly Step[] = [eventId, receivedAt, catalogVersion];

const byName = new Map(STEPS.map((s) => [s.name, s]));
if (byName.size !== STEPS.length) throw new Error('two ingest steps share a name');

/** The step named `name`, or undefined. */
export const stepNamed = (name: string): Step | undefined => byName.get(name);
