// What the sink does with one fetched batch: dead-letter what can never land (unknown type, too many
// deliveries), insert the rest table by table isolating poison, ack what was committed, and hold what
// failed for a retryable reason — retrying with backoff, fetching nothing meanwhile — until it lands
// or the sink stops (then it is nakked with a delay).
import type { JsMsg } from '@nats-io/jetstream';
import { createHash } from 'node:crypto';
import type { ClickHouse, Config, Logger } from '../shared/mod.ts';
import { typeKeyOf } from '../streams/mod.ts';
import { groupByTable, type TableBatch } from './batcher.ts';
import { insertRows } from './clickhouse.ts';
import type { DeadLetter, DeadLetterer } from './dead-letter.ts';
import { insertBody } from './insert.ts';
import { insertIsolating } from './isolate.ts';
import { pause, type StopSignal } from './pull-loop.ts';
import { isMissingSchema, retryDelayMs } from './retry.ts';

export interface SinkStats {
  batches: number;
  inserted: number;
  acked: number;
  nakked: number;
  deadLettered: number;
  retries: number;
}

export const newSinkStats = (): SinkStats => ({ batches: 0, inserted: 0, acked: 0, nakked: 0, deadLettered: 0, retries: 0 });

export interface DeliverDeps {
  ch: ClickHouse;
  deadLetter: DeadLetterer;
  cfg: Config['sink'];
  log: Logger;
  stats: SinkStats;
  /** Re-creates tables (someone dropped one) before the next retry. */
  reapplySchema(): Promise<void>;
}

/** The same rows always get the same token, so a retried insert that had in fact committed is dropped. */
const tokenOf = (msgs: JsMsg[]) => {
  const h = createHash('sha1');
  for (const m of msgs) h.update(`${m.info.stream}:${m.seq},`);
  return h.digest('hex');
};

export function createDeliver({ ch, deadLetter, cfg, log, stats, reapplySchema }: DeliverDeps) {
  const sendToDlq = async (letters: DeadLetter[]) => {
    if (letters.length === 0) return;
    try {
      await deadLetter(letters);
      stats.deadLettered += letters.length;
      for (const l of letters) log.warn({ subject: l.msg.subject, seq: l.msg.seq, code: l.code, reason: l.reason }, 'dead-lettered');
    } catch (err) {
      // The DLQ is unreachable: leave the decision to the next delivery.
      const delay = cfg.retryBaseMs;
      for (const l of letters) l.msg.nak(delay);
      stats.nakked += letters.length;
      log.error({ err: (err as Error).message, count: letters.length }, 'dead-lettering failed; nakked');
    }
  };

  return async function deliver(msgs: JsMsg[], signal: StopSignal): Promise<void> {
    stats.batches++;
    const now = Date.now();
    const letters: DeadLetter[] = [];
    const fresh: JsMsg[] = [];
    for (const msg of msgs) {
      if (msg.info.deliveryCount > cfg.maxDeliver) {
        letters.push({ msg, reason: `delivered ${msg.info.deliveryCount} times without an ack (limit ${cfg.maxDeliver})`, firstFailure: now });
      } else fresh.push(msg);
    }
    const { batches, unknown } = groupByTable(fresh);
    for (const msg of unknown) letters.push({ msg, reason: `unknown event type "${typeKeyOf(msg.subject)}"`, firstFailure: now });
    await sendToDlq(letters.splice(0));

    const firstFailure = new Map<JsMsg, number>();
    let groups: TableBatch[] = batches;
    for (let attempt = 1; groups.length > 0; attempt++) {
      const held: TableBatch[] = [];
      let missingSchema = false;
      let lastReason = '';
      for (const { type, msgs: group } of groups) {
        const result = await insertIsolating(group, (part) => insertRows(ch, type.table, insertBody(part), tokenOf(part)));
        for (const m of result.inserted) m.ack();
        stats.inserted += result.inserted.length;
        stats.acked += result.inserted.length;
        for (const { item, decision } of result.rejected) {
          letters.push({ msg: item, reason: decision.reason, code: decision.code, firstFailure: firstFailure.get(item) ?? Date.now() });
        }
        if (result.retry.length > 0) {
          for (const m of result.retry) if (!firstFailure.has(m)) firstFailure.set(m, Date.now());
          held.push({ type, msgs: result.retry });
          missingSchema ||= isMissingSchema(result.retryDecision!);
          lastReason = result.retryDecision!.reason;
          log.warn({ table: type.table, rows: result.retry.length, attempt, reason: lastReason }, 'insert failed; will retry');
        }
      }
      await sendToDlq(letters.splice(0));
      if (held.length === 0) return;

      stats.retries++;
      if (missingSchema) await reapplySchema().catch((err) => log.warn({ err: (err as Error).message }, 're-creating tables failed'));
      const delay = retryDelayMs(attempt, cfg.retryBaseMs, cfg.retryMaxMs);
      const heldMsgs = held.flatMap((b) => b.msgs);
      // Keep the held messages ours while we wait, so JetStream does not hand them to another sink.
      await pause(delay, signal, () => heldMsgs.forEach((m) => m.working()), (cfg.ackWaitSeconds * 1000) / 3);
      if (signal.stopped) {
        for (const m of heldMsgs) m.nak(delay);
        stats.nakked += heldMsgs.length;
        log.info({ count: heldMsgs.length, retryInMs: delay }, 'stopping: held messages nakked');
        return;
      }
      groups = held;
    }
  };
}
