// Step user_agent (catalog `enrich: { user_agent: true }`): browser, browser_version, os and device_type from the
// event's user agent (enrich/user-agent.ts, cached by the string).
import { deviceOf } from '../enrich/user-agent.ts';
import type { Step } from './step.ts';

export const userAgent: Step = {
  name: 'user_agent',
  wanted: (type) => type.enrich.userAgent,
  apply(row, ctx) {
    const d = deviceOf(ctx.userAgent);
    row.browser = d.browser;
    row.browser_version = d.browser_version;
    row.os = d.os;
    row.device_type = d.device_type;
    return undefined;
  },
};
