// Step consent (catalog `consent:` on a type or a field, shared/catalog/consent.ts): an event without the category its
// type needs is dropped (answered 2xx, counted); a field whose category is not given is stored empty. An event that
// says nothing about consent gets its type's default.
import { allows } from '../../../shared/mod.ts';
import type { Step, StepDrop } from './step.ts';

const REFUSED: StepDrop = { dropped: 'consent' };

export const consent: Step = {
  name: 'consent',
  wanted: (type) => type.consent !== undefined,
  apply(row, ctx) {
    const rules = ctx.type.consent!;
    if (rules.category !== undefined && !allows(rules, ctx.consent, rules.category)) return REFUSED;
    for (const f of rules.fields) if (!allows(rules, ctx.consent, f.category)) row[f.name] = f.empty;
    return undefined;
  },
};
