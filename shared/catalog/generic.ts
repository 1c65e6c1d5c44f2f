// The generic analytics event of seed 000 (`dt`, `event`, `userid`…): any event name without a
// typed schema is one of these, stored in table `events`.
import * as v from 'valibot';
import { eventTime, idText, int, label, text } from './columns.ts';
import { defineEventType } from './event-type.ts';

export const generic = defineEventType({
  name: 'Generic',
  key: 'generic',
  table: 'events',
  description: 'A named analytics event (seed 000): who did what, where, and for how much.',
  timeField: 'dt',
  orderBy: ['dt', 'event', 'event_id'],
  fields: {
    dt: eventTime('required'),
    event: v.pipe(label(), v.minLength(1, 'expected a non-empty event name')),
    user_id: idText(),
    screen: v.optional(text(256), ''),
    elem: v.optional(text(256), ''),
    amount: v.optional(int(), 0),
  },
  aliases: { userid: 'user_id' },
});
