// Redrive as a request to the sink: the reader (the console, `npm run dlq`) may not publish events, so it asks a sink
// on `control.redrive` and the sink, which may, republishes the letters (dead-letters.ts). A request names letters
// by sequence, or by type and time; it can only put back what was dead-lettered, never an event of its own. A sink
// answers for at most REDRIVE_CHUNK letters per request and says how many more match, so the asker repeats (and
// can show progress) and no request outlives its timeout. Sinks answer in one queue group: one of them per request.
// Wire: NATS request/reply, JSON both ways.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import * as v from 'valibot';
import { REDRIVE_SUBJECT } from '../shared/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import { redrive, redriveSelected } from './dead-letters.ts';

/** At most this many letters per request. */
export const REDRIVE_CHUNK = 1000;
const TIMEOUT_MS = 60_000;

const Request = v.union([
  v.strictObject({
    seqs: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.minLength(1), v.maxLength(REDRIVE_CHUNK)),
  }),
  v.strictObject({
    type: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9_.]+$/))),
    since: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  }),
]);
export type RedriveRequest = v.InferOutput<typeof Request>;

interface Answer {
  redriven: number;
  /** Letters matching the request still stored. */
  remaining: number;
}

/** Answers redrive requests (the sink). */
export function serveRedrives(nc: NatsConnection, log: Logger): Subscription {
  return nc.subscribe(REDRIVE_SUBJECT, {
    queue: 'sink',
    callback: (err, msg) => {
      if (err) return log.warn({ err: err.message }, 'redrive requests: subscription failed');
      void (async () => {
        let answer: Answer | { error: string };
        try {
          const parsed = v.safeParse(Request, msg.json());
          if (!parsed.success) answer = { error: 'give seqs (at most 1000 sequence numbers), or a type and a since' };
          else {
            const r = parsed.output;
            answer =
              'seqs' in r
                ? { redriven: await redriveSelected(nc, r.seqs), remaining: 0 }
                : await redrive(nc, { type: r.type, since: r.since ? new Date(r.since) : undefined }, REDRIVE_CHUNK);
          }
        } catch (e) {
          log.error({ err: (e as Error).message }, 'redrive failed');
          answer = { error: 'the redrive failed; see the sink log' };
        }
        if ('redriven' in answer && answer.redriven > 0) log.info(answer, 'dead letters redriven');
        msg.respond(JSON.stringify(answer));
      })();
    },
  });
}

/** Why a redrive could not be asked or was refused. `unavailable`: no sink answered. */
export class RedriveError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

/** Asks a sink to redrive the letters `req` names, chunk after chunk until none matches; returns how many were. */
export async function requestRedrive(
  nc: NatsConnection,
  req: RedriveRequest,
  progress: (done: number, total: number) => void = () => {},
): Promise<number> {
  let done = 0;
  for (;;) {
    const reply = await nc.request(REDRIVE_SUBJECT, JSON.stringify(req), { timeout: TIMEOUT_MS }).catch((err) => {
      throw new RedriveError('unavailable', `no sink answered the redrive request (${(err as Error).name})`);
    });
    const answer = reply.json<Answer | { error: string }>();
    if ('error' in answer) throw new RedriveError('refused', answer.error);
    done += answer.redriven;
    progress(done, done + answer.remaining);
    if (answer.remaining === 0 || answer.redriven === 0) return done;
  }
}
