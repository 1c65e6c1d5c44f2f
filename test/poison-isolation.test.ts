// Poison isolation against the embedded ClickHouse engine: real INSERTs into a real table, where the rows ClickHouse
// cannot parse are chosen by the test. Bisection finds exactly those, in few inserts; everything else lands once; a
// message of several rows is split and bisected in turn; a retryable failure holds the items instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../shared/config/mod.ts';
import { connectClickHouse, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { insertIsolating, insertRows } from '../sink/mod.ts';

const test = suite<{ dir: string; ch: ClickHouse }>('poison isolation');
test.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'edge-events-isolate-'));
  const cfg = loadConfig({ DATA_DIR: ctx.dir });
  ctx.ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
  await ctx.ch.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${ctx.ch.database}` });
});
test.after(async (ctx) => {
  await ctx.ch?.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

const enc = new TextEncoder();
const row = (id: string, n: unknown) => JSON.stringify({ id, n });

/** A fresh table, and an insert of NDJSON lines into it that counts its calls. */
async function table(ch: ClickHouse, name: string) {
  await ch.client.command({
    query: `CREATE TABLE ${ch.database}.${name} (id String, n Int64) ENGINE = MergeTree ORDER BY id`,
  });
  const calls = { n: 0 };
  const insert = async (lines: string[]) => {
    calls.n++;
    await insertRows(ch, name, enc.encode(`${lines.join('\n')}\n`));
  };
  const ids = async () => {
    const rs = await ch.client.query({
      query: `SELECT id FROM ${ch.database}.${name} ORDER BY id`,
      format: 'JSONEachRow',
    });
    return (await rs.json<{ id: string }>()).map((r) => r.id);
  };
  return { insert, calls, ids };
}

test('three poison rows among 64: exactly they are rejected, with a data-error code; the rest lands once', async ({
  ch,
}) => {
  const poison = new Set([5, 6, 40]);
  const items = Array.from({ length: 64 }, (_, i) =>
    row(`r${String(i).padStart(2, '0')}`, poison.has(i) ? 'not a number' : i),
  );
  const t = await table(ch, 'bisect_rows');
  const out = await insertIsolating(items, t.insert);
  assert.equal(
    out.rejected.map((r) => JSON.parse(r.item).id),
    ['r05', 'r06', 'r40'],
  );
  for (const r of out.rejected) {
    assert.is(r.decision.kind, 'dead-letter');
    assert.ok(
      [6, 27, 72].includes(r.decision.code!),
      `a parse error code, got ${r.decision.code}: ${r.decision.reason}`,
    );
  }
  assert.equal(out.retry, []);
  assert.is(out.inserted.length, 61);
  assert.equal(
    await t.ids(),
    items.filter((_, i) => !poison.has(i)).map((l) => JSON.parse(l).id),
  );
  // Bisection, not one insert per row: at most about 2·k·log2(n) inserts for k poison rows among n.
  assert.ok(t.calls.n <= 2 * 3 * 6 + 1, `${t.calls.n} inserts`);
});

test('a message of several rows is split: only its bad row is rejected, its other rows land', async ({ ch }) => {
  const t = await table(ch, 'bisect_messages');
  const message = (from: number, bad?: number) =>
    Array.from({ length: 4 }, (_, k) => row(`m${from + k}`, from + k === bad ? 'x' : 1));
  const items = [message(0), message(10, 12), message(20)];
  const out = await insertIsolating(
    items,
    (msgs) => t.insert(msgs.flat()),
    (msg) => (msg.length > 1 ? msg.map((line) => [line]) : undefined),
  );
  assert.equal(
    out.rejected.map((r) => r.item),
    [[row('m12', 'x')]],
  );
  assert.equal(await t.ids(), ['m0', 'm1', 'm10', 'm11', 'm13', 'm2', 'm20', 'm21', 'm22', 'm23', 'm3']);
});

test('a failure that is not the data (a missing table) holds every item for a retry; none is dead', async ({ ch }) => {
  const items = [row('a', 1), row('b', 'x')];
  const out = await insertIsolating(items, (lines) => insertRows(ch, 'no_such_table', enc.encode(lines.join('\n'))));
  assert.equal(out.retry, items);
  assert.equal(out.rejected, []);
  assert.is(out.retryDecision?.kind, 'retry');
  assert.is(out.retryDecision?.code, 60);
});

test.run();
