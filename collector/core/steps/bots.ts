// Step bots (catalog `enrich: { bots: flag | drop }`): whether the event's user agent is a crawler, a monitor or
// another bot (enrich/bots.ts; server SDKs are not). `flag` stores it in is_bot; `drop` stores no bot's event.
import { isBot } from '../enrich/bots.ts';
import type { Step, StepDrop } from './step.ts';

const BOT: StepDrop = { dropped: 'bot' };

export const bots: Step = {
  name: 'bots',
  wanted: (type) => type.enrich.bots !== undefined,
  apply(row, ctx) {
    const bot = isBot(ctx.userAgent);
    if (bot && ctx.type.enrich.bots === 'drop') return BOT;
    row.is_bot = bot ? 1 : 0;
    return undefined;
  },
};
