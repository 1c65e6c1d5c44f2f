// Settling a batch of JetStream messages through repeated attempts: ack what succeeded, dead-letter
// what never can, and hold the rest — waiting with backoff (or the target's Retry-After) — until it
// succeeds, attempts run out (→ dead letter), or we stop (→ nak). Held messages are kept with working().
import type { JsMsg } from '@nats-io/jetstream';
import {
  context,
  linksFrom,
  SpanStatusCode,
  trace,
  traceIdOf,
  tracer,
  tracingOn,
  type SpanKind,
} from '../shared/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import { pause, retryDelayMs, type StopSignal } from '../shared/mod.ts';
import type { Attempt, ConsumerStats, DeadLetter, DeadLetterer } from './delivery.ts';

const traces = () => tracer('edge-events-sink');

export interface SettleOptions {
  signal: StopSignal;
  retryBaseMs: number;
  retryMaxMs: number;
  ackWaitSeconds: number;
  /** Give up (dead-letter) after this many attempts; unlimited when absent. */
  maxAttempts?: number;
  deadLetter: DeadLetterer;
  stats: ConsumerStats;
  /** Called with the held messages' working() while a retry waits: more messages the consumer holds (the
   *  archiver's other open files), so none comes back while the destination is away. */
  keepAlive?: () => void;
  log: Logger;
  /** The batch span, linked to the request span of every message it settles. */
  span: { name: string; kind: SpanKind };
}

export function settle(
  msgs: JsMsg[],
  attempt: (msgs: JsMsg[]) => Promise<Attempt>,
  opts: SettleOptions,
): Promise<void> {
  // Every event's request span: a message of many events carries one traceparent per event.
  const parents = (m: JsMsg) =>
    (m.headers?.values('traceparent') ?? []).map((tp) => (k: string) => (k === 'traceparent' ? tp : undefined));
  const links = tracingOn() ? linksFrom(msgs.flatMap(parents)) : [];
  const attributes = { 'messaging.batch.message_count': msgs.length };
  return traces().startActiveSpan(opts.span.name, { kind: opts.span.kind, links, attributes }, async (span) => {
    try {
      await settleIn(
        msgs,
        attempt,
        tracingOn() ? { ...opts, log: opts.log.child({ trace_id: traceIdOf(span) }) } : opts,
      );
    } finally {
      span.end();
    }
  });
}

async function settleIn(msgs: JsMsg[], attempt: (msgs: JsMsg[]) => Promise<Attempt>, o: SettleOptions): Promise<void> {
  const firstFailure = new Map<JsMsg, number>();
  const failedAt = (m: JsMsg) => firstFailure.get(m) ?? Date.now();

  /** Dead-letters, then settles each original: term a dead message; ack one whose other events landed. */
  const sendToDlq = async (letters: DeadLetter[]) => {
    if (letters.length === 0) return;
    const span = traces().startSpan('dead-letter', { attributes: { 'messaging.batch.message_count': letters.length } });
    const originals = new Set(letters.map((l) => l.msg));
    try {
      await context.with(trace.setSpan(context.active(), span), () => o.deadLetter(letters));
      o.stats.deadLettered += letters.length;
      for (const l of letters)
        o.log.warn(
          { subject: l.msg.subject, seq: l.msg.seq, line: l.event?.line, code: l.code, reason: l.reason },
          'dead-lettered',
        );
      // A plain term: `+TERM <reason>` needs nats-server 2.10, and the reason is in the headers anyway.
      for (const l of letters) if (!l.event) l.msg.term();
      const partly = new Set(letters.filter((l) => l.event).map((l) => l.msg));
      for (const m of partly) m.ack();
      o.stats.acked += partly.size;
    } catch (err) {
      // The DLQ is unreachable: the next delivery decides again.
      for (const m of originals) m.nak(o.retryBaseMs);
      o.stats.nakked += originals.size;
      o.log.error({ err: (err as Error).message, count: letters.length }, 'dead-lettering failed; nakked');
      span.setStatus({ code: SpanStatusCode.ERROR });
    } finally {
      span.end();
    }
  };

  let pending = msgs;
  for (let n = 1; pending.length > 0; n++) {
    const result = await keptWhile(pending, o.ackWaitSeconds, () => attempt(pending));
    for (const m of result.done) m.ack();
    o.stats.acked += result.done.length;
    const letters: DeadLetter[] = result.dead.map((d) => ({ ...d, firstFailure: failedAt(d.msg) }));
    for (const m of result.retry) if (!firstFailure.has(m)) firstFailure.set(m, Date.now());
    const givingUp = o.maxAttempts !== undefined && n >= o.maxAttempts;
    if (givingUp) {
      for (const msg of result.retry)
        letters.push({
          msg,
          reason: `gave up after ${n} attempts: ${result.reason ?? 'failed'}`,
          firstFailure: failedAt(msg),
        });
    }
    await sendToDlq(letters);
    if (givingUp || result.retry.length === 0) return;

    o.stats.retries++;
    const delay = Math.max(result.retryAfterMs ?? 0, retryDelayMs(n, o.retryBaseMs, o.retryMaxMs));
    o.log.warn({ count: result.retry.length, attempt: n, retryInMs: delay, reason: result.reason }, 'will retry');
    // Keep the held messages ours while we wait, so JetStream does not hand them to another puller.
    const keep = () => (result.retry.forEach((m) => m.working()), o.keepAlive?.());
    await pause(delay, o.signal, keep, (o.ackWaitSeconds * 1000) / 3);
    if (o.signal.stopped) {
      for (const m of result.retry) m.nak(delay);
      o.stats.nakked += result.retry.length;
      o.log.info({ count: result.retry.length, retryInMs: delay }, 'stopping: held messages nakked');
      return;
    }
    pending = result.retry;
  }
}

/** Runs `work` while telling JetStream every third of the ack wait that `msgs` are still in hand, so a
 * slow insert (or a long bisection) is not redelivered behind our back. */
async function keptWhile<T>(msgs: JsMsg[], ackWaitSeconds: number, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => msgs.forEach((m) => m.working()), (ackWaitSeconds * 1000) / 3);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
