// Retention: a type's `ttl:` in the catalog becomes the TTL of its hot table — rows whose event time is older go at
// the next merge — and changing or removing it alters the table; a catalog change of retention is compatible. The
// 18.16 server has no TTL: the migration says so and applies everything else. (The cold tier keeps every event.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectClickHouse, migrate, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { diffCatalogs, describeCatalogChange } from '../shared/schema/mod.ts';
import { loadCatalogFiles } from '../shared/node/mod.ts';
import { startServices, type Engine } from './support/mod.ts';

const V1 = readFileSync('test/support/catalogs/signup-v1.yaml', 'utf8');
/** The signup catalog with `ttl` on SignupCompleted (none when undefined). */
function catalogWith(dir: string, ttl: string | undefined) {
  const file = join(dir, `signup-${ttl ?? 'none'}.yaml`);
  const text = ttl ? V1.replace(/^( {4}time: signed_up_at.*)$/m, `$1\n    ttl: ${ttl}`) : V1;
  writeFileSync(file, text);
  return loadCatalogFiles(file);
}

/** The signup catalog with `coupon` kept `retention` (personal data: its value goes, the row stays). */
function couponKept(dir: string, retention: string | undefined) {
  const file = join(dir, `signup-coupon-${retention ?? 'none'}.yaml`);
  const kept = retention ? `, pii: true, retention: ${retention}` : '';
  writeFileSync(file, V1.replace(/(coupon: +\{ type: string, optional: true, nullable: true)/, `$1${kept}`));
  return loadCatalogFiles(file);
}

const createOf = async (ch: ClickHouse) => {
  const rs = await ch.client.query({ query: 'SHOW CREATE TABLE teams.signup_completed', format: 'JSONEachRow' });
  return JSON.stringify(await rs.json());
};

const engineOf = async (ch: ClickHouse) => {
  const rs = await ch.client.query({
    query: "SELECT engine_full FROM system.tables WHERE database = 'teams' AND name = 'signup_completed'",
    format: 'JSONEachRow',
  });
  return (await rs.json<{ engine_full: string }>())[0]!.engine_full;
};

/** Runs `use` against database `teams` on a fresh engine, with a folder for catalog files; stops it all after. */
async function withTeams(engine: Engine, use: (ch: ClickHouse, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-events-ttl-'));
  const services = await startServices(engine);
  const cfg = services.config({ CLICKHOUSE_DATABASE: 'teams' });
  const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
  try {
    await use(ch, dir);
  } finally {
    await ch.close();
    await services.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('ttl: 30d drops old rows at the next merge; a new ttl alters the table, none removes it', () =>
  withTeams('embedded', async (ch, dir) => {
    await migrate(ch, catalogWith(dir, '30d'));
    assert.match(await engineOf(ch), 'TTL signed_up_at + toIntervalDay(30)');
    const row = (id: string, at: string) => ({
      event_id: id,
      signed_up_at: at,
      user_id: 'u',
      plan: 'pro',
      seats: 1,
      received_at: at,
      catalog_version: 0,
    });
    const recent = new Date(Date.now() - 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
    await ch.client.insert({
      table: 'teams.signup_completed',
      values: [row('old', '2020-01-01 00:00:00'), row('recent', recent)],
      format: 'JSONEachRow',
    });
    await ch.client.command({ query: 'OPTIMIZE TABLE teams.signup_completed FINAL' });
    const rs = await ch.client.query({ query: 'SELECT event_id FROM teams.signup_completed', format: 'JSONEachRow' });
    assert.equal(await rs.json(), [{ event_id: 'recent' }], 'the row older than 30 days is gone');

    const longer = await migrate(ch, catalogWith(dir, '6m'));
    assert.equal(longer.statements, [
      'ALTER TABLE `teams`.`signup_completed` MODIFY TTL `signed_up_at` + INTERVAL 6 MONTH',
    ]);
    assert.match(await engineOf(ch), 'TTL signed_up_at + toIntervalMonth(6)');
    assert.equal((await migrate(ch, catalogWith(dir, '6m'))).statements, [], 'applied once');
    const none = await migrate(ch, catalogWith(dir, undefined));
    assert.equal(none.statements, ['ALTER TABLE `teams`.`signup_completed` REMOVE TTL']);
    assert.not.match(await engineOf(ch), 'TTL');

    const [change] = diffCatalogs(catalogWith(dir, undefined), catalogWith(dir, '90d'));
    assert.is(change!.compatible, true);
    assert.match(describeCatalogChange(change!), 'retention none → 90d');
  }));

test('a field kept 30d: its value goes at the next merge, the row stays; added, changed and removed by ALTER', () =>
  withTeams('embedded', async (ch, dir) => {
    await migrate(ch, couponKept(dir, undefined));
    const added = await migrate(ch, couponKept(dir, '30d'));
    assert.equal(added.statements, [
      'ALTER TABLE `teams`.`signup_completed` MODIFY COLUMN `coupon` TTL `signed_up_at` + INTERVAL 30 DAY',
    ]);
    assert.match(await createOf(ch), '`coupon` Nullable(String) TTL signed_up_at + toIntervalDay(30)');
    assert.equal((await migrate(ch, couponKept(dir, '30d'))).statements, [], 'applied once');
    const row = (id: string, at: string) => ({
      event_id: id,
      signed_up_at: at,
      user_id: 'u',
      plan: 'pro',
      seats: 1,
      coupon: `coupon-${id}`,
      received_at: at,
      catalog_version: 0,
    });
    const recent = new Date(Date.now() - 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
    await ch.client.insert({
      table: 'teams.signup_completed',
      values: [row('old', '2020-01-01 00:00:00'), row('recent', recent)],
      format: 'JSONEachRow',
    });
    await ch.client.command({ query: 'OPTIMIZE TABLE teams.signup_completed FINAL' });
    const rs = await ch.client.query({
      query: 'SELECT event_id, coupon FROM teams.signup_completed ORDER BY event_id',
      format: 'JSONEachRow',
    });
    assert.equal(await rs.json(), [
      { event_id: 'old', coupon: null },
      { event_id: 'recent', coupon: 'coupon-recent' },
    ]);

    assert.equal((await migrate(ch, couponKept(dir, '1y'))).statements, [
      'ALTER TABLE `teams`.`signup_completed` MODIFY COLUMN `coupon` TTL `signed_up_at` + INTERVAL 1 YEAR',
    ]);
    assert.equal((await migrate(ch, couponKept(dir, undefined))).statements, [
      'ALTER TABLE `teams`.`signup_completed` MODIFY COLUMN `coupon` REMOVE TTL',
    ]);
    assert.not.match(await createOf(ch), 'TTL');
    // A new table gets its column TTL as it is created.
    await ch.client.command({ query: 'DROP TABLE teams.signup_completed' });
    await migrate(ch, couponKept(dir, '30d'));
    assert.match(await createOf(ch), '`coupon` Nullable(String) TTL signed_up_at + toIntervalDay(30)');
  }));

test('the 18.16 server: the migration says it has no TTL and applies the rest', () =>
  withTeams('server', async (ch, dir) => {
    const plan = await migrate(ch, catalogWith(dir, '30d'));
    assert.equal(plan.unsupported, [
      `signup_completed: ttl 30d not applied: ClickHouse ${ch.version} has no table TTL (19.6 and later do)`,
    ]);
    assert.not.match(await createOf(ch), 'TTL');
    const kept = await migrate(ch, couponKept(dir, '30d'));
    assert.equal(kept.unsupported, [
      `signup_completed: retention of coupon not applied: ClickHouse ${ch.version} has no TTL (19.6+ has)`,
    ]);
  }));

test.run();
