// Step catalog_version: the version of the catalog the event was validated against, so a row says which schema it
// was accepted under.
import type { Step } from './step.ts';

export const catalogVersion: Step = {
  name: 'catalog_version',
  apply(row, ctx) {
    row.catalog_version = ctx.catalogVersion;
    return undefined;
  },
};
