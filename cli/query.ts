// `npm run query -- "SELECT …"`: shows what landed. With CLICKHOUSE_URL it asks the server; on the
// embedded engine it goes through the running sink (which holds the data folder; it reads the sink's per-run token
// from DATA_DIR/query-token) or opens it itself.
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { connectClickHouse } from '../shared/clickhouse/mod.ts';
import { askRunningSink, QUERY_SETTINGS } from '../sink/mod.ts';

const cfg = loadConfigOrExit();
const query = process.argv.slice(2).join(' ').trim();
if (!query) {
  console.error('usage: npm run query -- "SELECT count() FROM edge_events.events FINAL"');
  process.exit(2);
}

const answer = cfg.clickhouse.url ? undefined : await askRunningSink(cfg.sink.port, cfg.dataDir, query);
if (answer?.ok) process.stdout.write(answer.text);
else if (answer) {
  console.error(answer.text);
  process.exit(1);
} else {
  const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
  try {
    const result = await ch.client.exec({ query, clickhouse_settings: QUERY_SETTINGS });
    for await (const chunk of result.stream) process.stdout.write(chunk);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  } finally {
    await ch.close();
  }
}
