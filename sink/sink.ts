// The sink's batch path, top to bottom: a fetched batch is partitioned (what can never land goes to the DLQ),
// each table gets one INSERT built from its messages (without the events of erased persons: forget.ts), poison is
// bisected out, and the consumer runner
// (streams/consumer.ts) acks what committed, dead-letters what ClickHouse refuses and holds the rest — fetching
// nothing meanwhile — until it lands.
import type { JsMsg } from '@nats-io/jetstream';
import { SpanStatusCode, tracer, type EventType } from '../shared/mod.ts';
import { type Config } from '../shared/config/mod.ts';
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import type { Logger } from '../shared/node/mod.ts';
import { noAttempt, type Attempt, type Destination, type ForgetList, type LiveCatalog } from '../streams/mod.ts';
import { withoutForgotten } from './forget.ts';
import { insertIsolating, type Isolated } from './isolate.ts';
import { partition } from './partition.ts';
import { buildRequest, eventsOfPart, wholeMessage, type Part } from './request-builder.ts';
import { isMissingSchema } from './retry-logic.ts';
import { insertRows } from './service.ts';
import type { SinkObserver, SinkStats } from './types.ts';

interface SinkDeps {
  ch: ClickHouse;
  /** The catalog in force: which table each type lands in. */
  catalog: LiveCatalog;
  observer: SinkObserver;
  cfg: Config['sink'];
  log: Logger;
  stats: SinkStats;
  /** Re-creates tables (someone dropped one) before the next retry. */
  reapplySchema(): Promise<void>;
  /** Whose events are not inserted (streams' privacy register). */
  forget?: ForgetList;
}

export function createSink(deps: SinkDeps): Destination {
  const { cfg, observer, stats } = deps;
  const traces = tracer('edge-events-sink');

  /** One pass over the messages still in hand. */
  const attempt = async (msgs: JsMsg[]): Promise<Attempt> => {
    const out = noAttempt();
    let parts = partition(msgs, cfg.maxDeliver, deps.catalog.current());
    // A type published a moment ago may not have reached this sink yet: read the newest version before refusing.
    if (parts.unknownTypes) {
      await deps.catalog
        .refresh()
        .catch((err) => deps.log.warn({ err: (err as Error).message }, 'reading the catalog failed'));
      parts = partition(msgs, cfg.maxDeliver, deps.catalog.current());
    }
    const { tables, refused } = parts;
    out.dead.push(...refused);
    let missingSchema = false;
    for (const { type, msgs: group } of tables) {
      const result = await insertTable(type, group);
      collect(out, type.table, group, result);
      missingSchema ||= result.retryDecision !== undefined && isMissingSchema(result.retryDecision);
    }
    if (missingSchema)
      await deps
        .reapplySchema()
        .catch((err) => deps.log.warn({ err: (err as Error).message }, 're-creating tables failed'));
    return out;
  };

  /** The table's messages in one INSERT, poison isolated event by event. */
  const insertTable = (type: EventType, msgs: JsMsg[]): Promise<Isolated<Part>> => {
    const attributes = { 'db.collection.name': type.table, 'db.operation.batch.size': msgs.length };
    return traces.startActiveSpan('clickhouse insert', { attributes }, async (span) => {
      try {
        const parts = withoutForgotten(type, msgs.map(wholeMessage), deps.forget, (n) => (stats.forgotten += n));
        if (parts.length === 0) return { inserted: [], retry: [], rejected: [] };
        const isolated = await insertIsolating(parts, (parts) => send(type.table, parts), eventsOfPart);
        if (isolated.retryDecision)
          span.setStatus({ code: SpanStatusCode.ERROR, message: isolated.retryDecision.reason });
        span.setAttribute('edge_events.rejected', isolated.rejected.length);
        return isolated;
      } finally {
        span.end();
      }
    });
  };

  const send = async (table: string, parts: Part[]) => {
    const started = performance.now();
    const request = buildRequest(table, parts);
    await insertRows(deps.ch, table, request.body, request.token);
    stats.inserted += request.rows;
    observer.inserted(table, request.rows, (performance.now() - started) / 1000);
  };

  /** Each message's fate: retried whole if any of its events must be; else done, or dead-lettered event by event
   *  when some of its events were refused (settle acks it once the DLQ has them). */
  const collect = (out: Attempt, table: string, msgs: JsMsg[], result: Isolated<Part>) => {
    const retry = new Set(result.retry.map((p) => p.msg));
    const rejected = new Set(result.rejected.map((r) => r.item.msg));
    for (const { item, decision } of result.rejected) {
      if (retry.has(item.msg)) continue;
      const event = item.line === undefined ? undefined : { data: item.data, line: item.line };
      out.dead.push({ msg: item.msg, event, reason: decision.reason, code: decision.code });
    }
    const now = Date.now();
    for (const msg of msgs) {
      if (retry.has(msg) || rejected.has(msg)) continue;
      out.done.push(msg);
      observer.lag((now - msg.info.timestampNanos / 1e6) / 1000);
    }
    if (result.retryDecision) {
      out.retry.push(...retry);
      out.reason = `${table}: ${result.retryDecision.reason}`;
    }
  };

  return {
    deliver: attempt,
    fetched(msgs) {
      observer.batch(msgs.length);
      const again = msgs.filter((m) => m.info.deliveryCount > 1).length;
      if (again) observer.redelivered(again);
    },
  };
}
