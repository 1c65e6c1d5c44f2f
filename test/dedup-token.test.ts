// On servers with insert tokens (here the embedded engine, ClickHouse 26.7), re-sending the very same
// batch — as the sink does when an insert's answer was lost — stores it once, before any merge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { insertRows } from '../sink/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { defaultCatalog } from './support/mod.ts';
import { migrate, connectClickHouse } from '../shared/clickhouse/mod.ts';

test('the same batch inserted twice with its token is one physical row set; a new token is not deduped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-token-'));
  const cfg = loadConfig({ DATA_DIR: dir });
  const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
  try {
    assert.ok(ch.dedupToken, `ClickHouse ${ch.version} supports insert tokens`);
    await migrate(ch, defaultCatalog());
    const body = new TextEncoder().encode(
      ['a', 'b']
        .map((id) =>
          JSON.stringify({
            event_id: id,
            dt: '2024-01-01 00:00:00',
            event: 'tok',
            user_id: 'u',
            received_at: '2024-01-01 00:00:00.000',
          }),
        )
        .join('\n') + '\n',
    );
    const count = async () => {
      const rs = await ch.client.query({
        query: "SELECT count() AS n FROM edge_events.events WHERE event = 'tok'",
        format: 'JSONEachRow',
      });
      return Number((await rs.json<{ n: string }>())[0]!.n);
    };
    await insertRows(ch, 'events', body, 'batch-1');
    await insertRows(ch, 'events', body, 'batch-1');
    assert.is(await count(), 2, 'the retried insert was dropped by its token');
    await insertRows(ch, 'events', body, 'batch-2');
    assert.is(await count(), 4, 'a different token is a different insert (FINAL collapses those)');
  } finally {
    await ch.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
