// Step ip (catalog `enrich: { ip: truncate | hash }`): the only way a client address is stored — its network
// (/24 IPv4, /48 IPv6) or a keyed hash that changes every UTC day (enrich/ip.ts). A type without it stores none.
import { formatUtc } from '../../../shared/mod.ts';
import { hashIp, truncateIp } from '../enrich/ip.ts';
import type { Step } from './step.ts';

/** The UTC day of the last request's time, the salt of the day's hashes. */
let lastNow = NaN;
let lastDay = '';

export const ip: Step = {
  name: 'ip',
  wanted: (type) => type.enrich.ip !== undefined,
  apply(row, ctx) {
    const address = ctx.ip;
    if (!address) row.ip = '';
    else if (ctx.type.enrich.ip === 'truncate') row.ip = truncateIp(address);
    else {
      if (ctx.now !== lastNow) {
        lastDay = formatUtc(ctx.now).slice(0, 10);
        lastNow = ctx.now;
      }
      row.ip = hashIp(address, ctx.lookups.ipKey, lastDay);
    }
    return undefined;
  },
};
