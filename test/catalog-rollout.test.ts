// A field added while events flow, as a rollout happens: a sink and two collectors run as processes on catalog v1
// (one collector already has the v2 files, as a half-rolled Deployment would); clients keep sending, half of their
// events with the new field. Midway `npm run catalog -- apply` publishes v2. Afterwards no 2xx event is missing or
// doubled, every 2xx event sent with the new field has it in ClickHouse, and before v2 was published such events
// were refused (400), never stored without it.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectClickHouse } from '../shared/clickhouse/mod.ts';
import { applyStreams, processEnv, spawnService, startServices, waitUntilAcked } from './support/mod.ts';

const V1 = 'test/support/catalogs/signup-v1.yaml';
const V2 = 'test/support/catalogs/signup-v2.yaml';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a new optional field under load: nothing lost, nothing doubled, no field silently dropped', async () => {
  const services = await startServices('server');
  const env = await processEnv(services, { EVENT_CATALOG: V1 });
  const cfg = services.config(env);
  await applyStreams(cfg);
  const sink = await spawnService('sink', env, services.dir);
  const second = await processEnv(services, { EVENT_CATALOG: V2 });
  const secondDir = join(services.dir, 'c2');
  mkdirSync(secondDir, { recursive: true });
  const collectors = [
    await spawnService('collector', env, services.dir),
    await spawnService('collector', { ...env, PORT: second.PORT!, EVENT_CATALOG: V2 }, secondDir),
  ];
  const urls = [env.PORT, second.PORT].map((port) => `http://127.0.0.1:${port}/v1/events`);
  const accepted = new Map<string, string | undefined>(); // event_id → the referrer it was sent with
  let refusedWithField = 0;
  let refusedOther = 0;
  let next = 0;
  try {
    const until = Date.now() + 12_000;
    const client = async (c: number) => {
      while (Date.now() < until && next < 60_000) {
        await sleep(40);
        const batch = Array.from({ length: 20 }, () => {
          const n = next++;
          return {
            event: 'SignupCompleted',
            event_id: `r-${n}`,
            signed_up_at: '2024-06-01T12:00:00Z',
            user_id: `u${n % 100}`,
            plan: 'free',
            seats: 1 + (n % 10),
            ...(n % 2 ? { referrer: `ref-${n}` } : {}),
          };
        });
        let pending = batch;
        for (let attempt = 0; pending.length && attempt < 50; attempt++) {
          if (attempt) await sleep(100);
          const res = await fetch(urls[(c + attempt) % 2]!, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(pending),
          }).catch(() => undefined);
          const body = (await res?.json().catch(() => undefined)) as { results?: { status: string }[] } | undefined;
          if (!body?.results) continue;
          const again: typeof pending = [];
          body.results.forEach((r, i) => {
            const e = pending[i]!;
            if (r.status === 'accepted') {
              accepted.set(e.event_id, e.referrer);
            } else if (r.status === 'rejected') {
              if (e.referrer) refusedWithField++;
              else refusedOther++;
            } else again.push(e);
          });
          pending = again;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, c) => client(c)));
    await sleep(4000);
    const apply = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/catalog.ts', 'apply'], {
      env: { ...process.env, ...env, EVENT_CATALOG: V2, LOG_LEVEL: 'warn' },
    });
    assert.match(apply.stdout, /catalog version 2 /);
    await load;

    await waitUntilAcked(services.nats.url, 60_000);
    const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
    const rs = await ch.client.query({
      query:
        'SELECT event_id, referrer, catalog_version, count() AS n FROM edge_events.signup_completed FINAL ' +
        'GROUP BY event_id, referrer, catalog_version',
      format: 'JSONEachRow',
    });
    const landed = new Map(
      (await rs.json<{ event_id: string; referrer: string; catalog_version: number; n: string }>()).map((r) => [
        r.event_id,
        r,
      ]),
    );
    await ch.close();
    const withField = [...accepted].filter(([, ref]) => ref);
    console.log(
      `sent ${next}: accepted ${accepted.size} (${withField.length} with the new field), ` +
        `refused ${refusedWithField} with it before v2, ${refusedOther} others`,
    );
    assert.ok(withField.length > 100, 'events with the new field were accepted after the rollout');
    assert.ok(refusedWithField > 0, 'before v2 was published, the new field was refused');
    assert.is(refusedOther, 0);
    const lost = [...accepted.keys()].filter((id) => !landed.has(id));
    const doubled = [...landed.values()].filter((r) => Number(r.n) > 1).map((r) => r.event_id);
    const dropped = withField.filter(([id, ref]) => landed.get(id)?.referrer !== ref).map(([id]) => id);
    assert.equal(lost, [], 'lost');
    assert.equal(doubled, [], 'doubled');
    assert.equal(dropped, [], 'sent with the field, stored without it');
    // Accepted only once v2 was published, which is after its column existed.
    assert.ok(
      withField.every(([id]) => Number(landed.get(id)!.catalog_version) === 2),
      'rows with the field were validated by v2',
    );
  } finally {
    for (const c of collectors) await c.terminate().catch(() => {});
    await sink.terminate().catch(() => {});
    await services.cleanup();
  }
});

test.run();
