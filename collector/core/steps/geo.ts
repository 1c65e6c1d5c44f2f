// Step geo (catalog `enrich: { geo: true }`): country, region and city of the event's client address, from the geo
// database the adapter opened (enrich/geo.ts). Private, loopback and unknown addresses give empty columns.
import type { Step } from './step.ts';

export const geo: Step = {
  name: 'geo',
  wanted: (type) => type.enrich.geo,
  apply(row, ctx) {
    const place = ctx.ip === undefined ? undefined : ctx.lookups.geo?.(ctx.ip);
    row.country = place?.country ?? '';
    row.region = place?.region ?? '';
    row.city = place?.city ?? '';
    return undefined;
  },
};
