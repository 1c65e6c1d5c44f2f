// Step received_at: when the collector received the event's request, in UTC with milliseconds (the stream → table
// lag is measured from it).
import { formatUtc } from '../../../shared/mod.ts';
import type { Step } from './step.ts';

/** The text of the last request's time: every event of a request has the same. */
let lastNow = NaN;
let lastText = '';

export const receivedAt: Step = {
  name: 'received_at',
  apply(row, ctx) {
    if (ctx.now !== lastNow) {
      lastText = formatUtc(ctx.now, true);
      lastNow = ctx.now;
    }
    row.received_at = lastText;
    return undefined;
  },
};
