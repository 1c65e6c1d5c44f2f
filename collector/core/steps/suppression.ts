// Step suppression: the events of a person who asked to be erased and not followed any more (an erasure request with
// `suppress`, GDPR art. 21) are not stored — answered 2xx, so the SDK stops retrying, and counted.
import type { Step, StepDrop } from './step.ts';

const SUPPRESSED: StepDrop = { dropped: 'suppressed' };

export const suppression: Step = {
  name: 'suppression',
  wanted: (type) => 'user_id' in type.fields,
  apply(row, ctx) {
    const user = row.user_id;
    const suppressed = ctx.lookups.suppressed;
    return suppressed && user !== undefined && user !== null && suppressed(String(user)) ? SUPPRESSED : undefined;
  },
};
