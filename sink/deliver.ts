// What the sink does with one fetched batch: dead-letter what can never land (unknown type, too many
// deliveries), insert the rest table by table isolating poison, ack what was committed, and hold what
// failed for a retryable reason (see settle.ts) — fetching nothing meanwhile — until it lands.
import type { JsMsg } from '@nats-io/jetstream';
import { createHash } from 'node:crypto';
import { SpanKind, SpanStatusCode, tracer, type ClickHouse, type Config, type Logger } from '../shared/mod.ts';
import { countEvents, eventsIn, typeKeyOf } from '../streams/mod.ts';
import { groupByTable } from './batcher.ts';
import { insertRows } from './clickhouse.ts';
import type { DeadLetterer } from './dead-letter.ts';
import { ndjsonBody } from './insert.ts';
import type { SinkObserver } from './metrics.ts';
import { insertIsolating } from './isolate.ts';
import type { StopSignal } from './pull-loop.ts';
import { isMissingSchema } from './retry.ts';
import { settle, type Attempt, type SettleStats } from './settle.ts';

export interface SinkStats extends SettleStats {
  batches: number;
  inserted: number;
}

export const newSinkStats = (): SinkStats => ({ batches: 0, inserted: 0, acked: 0, nakked: 0, deadLettered: 0, retries: 0 });

export interface DeliverDeps {
  ch: ClickHouse;
  observer: SinkObserver;
  deadLetter: DeadLetterer;
  cfg: Config['sink'];
  log: Logger;
  stats: SinkStats;
  /** Re-creates tables (someone dropped one) before the next retry. */
  reapplySchema(): Promise<void>;
}

/** What one insert carries: a whole message (all its events), or one event of it while isolating poison. */
interface Part {
  msg: JsMsg;
  data: Uint8Array;
  line?: number;
}
const whole = (msg: JsMsg): Part => ({ msg, data: msg.data });
/** A rejected message of several events is split into its events, to find the ones ClickHouse refuses. */
const eventsOf = (p: Part): Part[] | undefined => (p.line === undefined ? eventsIn(p.data).map((data, line) => ({ msg: p.msg, data, line })) : undefined);
const rowsIn = (parts: Part[]) => parts.reduce((n, p) => n + (p.line === undefined ? countEvents(p.data) : 1), 0);

/** The same rows always get the same token, so a retried insert that had in fact committed is dropped. */
const tokenOf = (parts: Part[]) => {
  const h = createHash('sha1');
  for (const p of parts) h.update(`${p.msg.info.stream}:${p.msg.seq}${p.line === undefined ? '' : `:${p.line}`},`);
  return h.digest('hex');
};

export function createDeliver({ ch, observer, deadLetter, cfg, log, stats, reapplySchema }: DeliverDeps) {
  const traces = tracer('edge-events-sink');
  /** One pass over the messages: every table's insert, poison bisected out. */
  const attempt = async (msgs: JsMsg[]): Promise<Attempt> => {
    const out: Attempt = { done: [], dead: [], retry: [] };
    // Over-delivered messages go to the DLQ before any insert: they have been killing sinks.
    // (Held messages keep their delivery count, so this only ever fires on the first pass.)
    const fresh: JsMsg[] = [];
    for (const msg of msgs) {
      if (msg.info.deliveryCount <= cfg.maxDeliver) fresh.push(msg);
      else out.dead.push({ msg, reason: `delivered ${msg.info.deliveryCount} times without an ack (limit ${cfg.maxDeliver})` });
    }
    const { batches, unknown } = groupByTable(fresh);
    for (const msg of unknown) out.dead.push({ msg, reason: `unknown event type "${typeKeyOf(msg.subject)}"` });
    let missingSchema = false;
    for (const { type, msgs: group } of batches) {
      let inserted = 0;
      const result = await traces.startActiveSpan('clickhouse insert', { attributes: { 'db.collection.name': type.table, 'db.operation.batch.size': group.length } }, async (span) => {
        const isolated = await insertIsolating(
          group.map(whole),
          async (parts) => {
            const started = performance.now();
            await insertRows(ch, type.table, ndjsonBody(parts), tokenOf(parts));
            const rows = rowsIn(parts);
            inserted += rows;
            observer.inserted(type.table, rows, (performance.now() - started) / 1000);
          },
          eventsOf,
        );
        if (isolated.retryDecision) span.setStatus({ code: SpanStatusCode.ERROR, message: isolated.retryDecision.reason });
        span.setAttribute('edge_events.rejected', isolated.rejected.length);
        span.end();
        return isolated;
      });
      stats.inserted += inserted;
      // A message is retried whole if any of its events must be; else it is done, or dead-lettered
      // event by event when some of its events were rejected (settle acks it after the DLQ has them).
      const retry = new Set(result.retry.map((p) => p.msg));
      const rejected = new Set(result.rejected.map((r) => r.item.msg));
      for (const { item, decision } of result.rejected) {
        if (retry.has(item.msg)) continue;
        const event = item.line === undefined ? undefined : { data: item.data, line: item.line };
        out.dead.push({ msg: item.msg, event, reason: decision.reason, code: decision.code });
      }
      const now = Date.now();
      for (const msg of group) {
        if (retry.has(msg) || rejected.has(msg)) continue;
        out.done.push(msg);
        observer.lag((now - msg.info.timestampNanos / 1e6) / 1000);
      }
      if (result.retryDecision) {
        out.retry.push(...retry);
        out.reason = `${type.table}: ${result.retryDecision.reason}`;
        missingSchema ||= isMissingSchema(result.retryDecision);
      }
    }
    if (missingSchema) await reapplySchema().catch((err) => log.warn({ err: (err as Error).message }, 're-creating tables failed'));
    return out;
  };

  return async function deliver(msgs: JsMsg[], signal: StopSignal): Promise<void> {
    stats.batches++;
    observer.batch(msgs.length);
    const again = msgs.filter((m) => m.info.deliveryCount > 1).length;
    if (again) observer.redelivered(again);
    await settle(msgs, attempt, { ...cfg, signal, deadLetter, stats, log, span: { name: 'sink batch', kind: SpanKind.CONSUMER } });
  };
}
