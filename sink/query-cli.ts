// `npm run query -- "SELECT …"`: shows what landed. With CLICKHOUSE_URL it asks the server; on the
// embedded engine it goes through the running sink (which holds the data folder) or opens it itself.
import { loadConfigOrExit } from '../shared/mod.ts';
import { connectClickHouse } from '../shared/clickhouse/mod.ts';
import { QUERY_SETTINGS } from './local-query.ts';

const cfg = loadConfigOrExit();
const query = process.argv.slice(2).join(' ').trim();
if (!query) {
  console.error('usage: npm run query -- "SELECT count() FROM edge_events.events FINAL"');
  process.exit(2);
}

async function viaRunningSink(): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${cfg.sink.port}/query`, { method: 'POST', body: query }).catch(
    () => undefined,
  );
  if (!res) return false;
  if (res.status === 404) return false;
  const text = await res.text();
  if (!res.ok) {
    console.error(JSON.parse(text).error ?? text);
    process.exit(1);
  }
  process.stdout.write(text);
  return true;
}

if (cfg.clickhouse.url || !(await viaRunningSink())) {
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
