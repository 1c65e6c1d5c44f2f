// Player events for the playback statistics of seed 002 (which names no fields): what a video or
// audio player reports — who, what content, which action, where in the content, and when.
import * as v from 'valibot';
import { eventTime, float, idText, oneOf, text } from './columns.ts';
import { defineEventType } from './event-type.ts';

export const playbackActions = ['play', 'pause', 'seek', 'stop', 'progress'] as const;

export const playback = defineEventType({
  name: 'Playback',
  description: 'A player action (seed 002): play, pause, seek, stop, or a periodic progress report.',
  timeField: 'client_time',
  orderBy: ['content_id', 'client_time', 'event_id'],
  fields: {
    user_id: idText(),
    content_id: idText(),
    session_id: v.optional(text(128), ''),
    action: oneOf(playbackActions),
    position_seconds: v.pipe(float(), v.minValue(0)),
    client_time: eventTime('optional'),
  },
});
