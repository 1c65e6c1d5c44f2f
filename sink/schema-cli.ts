// `npm run schema:apply`: creates the database, tables and views of the catalog on the configured
// ClickHouse (what the sink also does at start) — for a deploy job, or by hand. Idempotent.
import { catalogDdl, loadConfigOrExit } from '../shared/mod.ts';
import { applySchema, connectClickHouse } from '../shared/clickhouse/mod.ts';

const cfg = loadConfigOrExit();
const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
try {
  await applySchema(ch);
  console.log(
    `applied ${catalogDdl(ch.database, ch.dialect).length} statements to ${ch.location} ` +
      `(ClickHouse ${ch.version}), database ${ch.database}`,
  );
} finally {
  await ch.close();
}
