// Reading and redriving dead letters: walk stream DLQ (optionally one type, optionally since a time),
// and republish letters to their original subject; a letter is deleted only after that publish is acked. And erasing
// one person's events from them.
import { DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DLQ_SUBJECTS, dlqSubject, redriveMessageId } from '../shared/mod.ts';
import { eventsIn, joinLines } from './container.ts';
import { DLQ_HEADERS, DLQ_STREAM } from './definitions.ts';

interface Letter {
  seq: number;
  subject: string;
  time: Date;
  reason: string;
  code?: number;
  deliveries: number;
  originalSubject: string;
  originalSequence: number;
  /** The event's line in the original message, when only that event was dead-lettered. */
  line?: number;
  firstFailure: string;
  by: string;
  data: Uint8Array;
  /** How many more letters match after this one (while reading a stream of them). */
  remaining: number;
}

export interface LetterFilter {
  type?: string;
  since?: Date;
  /** Only letters after this sequence number (a page of a listing starts after the last one shown). */
  after?: number;
}

/** A letter from its stored form: sequence, subject, time, headers and payload. */
function letterOf(
  seq: number,
  subject: string,
  time: Date,
  hdrs: { get(name: string): string } | undefined,
  data: Uint8Array,
  remaining = 0,
): Letter {
  const h = (name: string) => hdrs?.get(name) ?? '';
  return {
    seq,
    subject,
    time,
    reason: h(DLQ_HEADERS.reason),
    code: h(DLQ_HEADERS.code) ? Number(h(DLQ_HEADERS.code)) : undefined,
    deliveries: Number(h(DLQ_HEADERS.deliveries) || 0),
    originalSubject: h(DLQ_HEADERS.subject),
    originalSequence: Number(h(DLQ_HEADERS.sequence) || 0),
    line: h(DLQ_HEADERS.line) ? Number(h(DLQ_HEADERS.line)) : undefined,
    firstFailure: h(DLQ_HEADERS.firstFailure),
    by: h(DLQ_HEADERS.deadLetteredBy),
    data,
    remaining,
  };
}

const toLetter = (m: JsMsg) =>
  letterOf(m.seq, m.subject, new Date(Math.floor(m.info.timestampNanos / 1e6)), m.headers, m.data, m.info.pending);

/**
 * Every letter matching the filter stored before the call, oldest first (an ordered consumer: nothing is acked or
 * changed).
 */
export async function* readLetters(nc: NatsConnection, filter: LetterFilter = {}): AsyncGenerator<Letter> {
  const jsm = await jetstreamManager(nc);
  // A snapshot: letters arriving while we read (a redrive's failures) wait for the next run.
  const { messages, last_seq: lastSeq } = (await jsm.streams.info(DLQ_STREAM)).state;
  if (messages === 0) return;
  const consumer = await jetstream(nc).consumers.get(DLQ_STREAM, {
    // A string (one filter_subject) works on nats-server 2.9; an array needs 2.10.
    filter_subjects: filter.type ? dlqSubject(filter.type) : DLQ_SUBJECTS,
    ...(filter.after !== undefined
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: filter.after + 1 }
      : filter.since
        ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: filter.since.toISOString() }
        : {}),
  });
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
    let last: JsMsg | undefined;
    for await (const m of batch) {
      if (m.seq > lastSeq) {
        batch.stop();
        return;
      }
      last = m;
      yield toLetter(m);
    }
    if (!last || last.info.pending === 0 || last.seq === lastSeq) return;
  }
}

export async function showLetter(nc: NatsConnection, seq: number): Promise<Letter | undefined> {
  const jsm = await jetstreamManager(nc);
  const stored = await jsm.streams.getMessage(DLQ_STREAM, { seq }).catch(() => undefined);
  return stored ? letterOf(stored.seq, stored.subject, stored.time, stored.header, stored.data) : undefined;
}

/**
 * Republishes matching letters to their original subjects, at most `limit`, and deletes each once its publish is
 * acked; says how many more match. Safe to repeat: rows carry their event_id, so a letter redriven twice is still one
 * row in results. Only a sink does this (redrive-requests.ts): its NATS user may publish events.
 */
export async function redrive(
  nc: NatsConnection,
  filter: LetterFilter,
  limit = Infinity,
): Promise<{ redriven: number; remaining: number }> {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  let redriven = 0;
  let remaining = 0;
  for await (const l of readLetters(nc, filter)) {
    if (await redriveOne(js, jsm, l)) redriven++;
    remaining = l.remaining;
    if (redriven >= limit) break;
  }
  return { redriven, remaining: redriven >= limit ? remaining : 0 };
}

/** Redrives the letters of these sequence numbers; those no longer stored (redriven already) are skipped. */
export async function redriveSelected(nc: NatsConnection, seqs: readonly number[]): Promise<number> {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  let done = 0;
  for (const seq of seqs) {
    const l = await showLetter(nc, seq);
    if (l && (await redriveOne(js, jsm, l))) done++;
  }
  return done;
}

async function redriveOne(
  js: ReturnType<typeof jetstream>,
  jsm: Awaited<ReturnType<typeof jetstreamManager>>,
  l: Letter,
): Promise<boolean> {
  if (!l.originalSubject) return false;
  await js.publish(l.originalSubject, l.data, { msgID: redriveMessageId(DLQ_STREAM, l.seq) });
  await jsm.streams.deleteMessage(DLQ_STREAM, l.seq, false);
  return true;
}

/**
 * Erases one person's events from the dead letters: a letter holding only theirs is deleted; a letter of several
 * events (a whole message) holding some of theirs is written again without them (same subject and headers), then
 * the old one deleted. Returns how many of their events went. Only a sink does this (its user may delete letters).
 */
export async function eraseLetters(nc: NatsConnection, userId: string): Promise<number> {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const decoder = new TextDecoder();
  const theirs = (line: Uint8Array) => {
    try {
      const u = (JSON.parse(decoder.decode(line)) as { user_id?: unknown }).user_id;
      return u !== undefined && u !== null && String(u) === userId;
    } catch {
      return false;
    }
  };
  let erased = 0;
  for await (const l of readLetters(nc)) {
    const lines = eventsIn(l.data);
    const kept = lines.filter((line) => !theirs(line));
    if (kept.length === lines.length) continue;
    if (kept.length > 0) {
      const stored = await jsm.streams.getMessage(DLQ_STREAM, { seq: l.seq });
      await js.publish(l.subject, joinLines(kept), { headers: stored?.header });
    }
    await jsm.streams.deleteMessage(DLQ_STREAM, l.seq, false);
    erased += lines.length - kept.length;
  }
  return erased;
}
