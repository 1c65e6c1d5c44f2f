// `npm run report -- <activity|daily|lag> --from YYYY-MM-DD --to YYYY-MM-DD [--type T]`: a report as a table in the
// terminal. It asks the running reading API (READER_PORT), which holds the embedded engine's data folder while
// `npm start` runs; with nothing running, it opens ClickHouse itself and runs the same report.
import { parseArgs } from 'node:util';
import { exitIfRefused, loadConfigOrExit, Refused } from '../shared/mod.ts';
import { connectClickHouse } from '../shared/clickhouse/mod.ts';
import { loadCatalogFiles } from '../shared/node/mod.ts';
import { parseQuery, RangeQuery, TypeRangeQuery } from './params.ts';
import { activity } from './activity.ts';
import { daily, lag } from './reports.ts';

const USAGE = 'usage: npm run report -- activity|daily|lag --from 2024-06-01 --to 2024-06-30 [--type PageVisit]';
const REPORTS = { activity, daily, lag } as const;

/** Rows as an aligned text table, numbers to the right. */
export function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const keys = Object.keys(rows[0]!);
  const cells = rows.map((r) => keys.map((k) => String(r[k] ?? '')));
  const width = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i]!.length)));
  const numeric = keys.map((k) => rows.every((r) => typeof r[k] === 'number'));
  const line = (values: string[]) =>
    values.map((v, i) => (numeric[i] ? v.padStart(width[i]!) : v.padEnd(width[i]!))).join('  ');
  return [line(keys), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

const cfg = loadConfigOrExit();
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string' }, to: { type: 'string' }, type: { type: 'string' } },
});
const name = positionals[0] as keyof typeof REPORTS | undefined;
if (!name || !(name in REPORTS)) {
  console.error(USAGE);
  process.exit(2);
}
const query = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<string, string>;
const parsed = parseQuery(name === 'daily' ? TypeRangeQuery : RangeQuery, query);
if (!parsed.ok) {
  for (const i of parsed.issues) console.error(`--${i.path}: ${i.message}`);
  process.exit(2);
}

async function viaReader(): Promise<Record<string, unknown>[] | undefined> {
  const url = `http://127.0.0.1:${cfg.reader.port}/v1/reports/${name}?${new URLSearchParams(query)}`;
  const headers: Record<string, string> = cfg.reader.readKeys[0]
    ? { authorization: `Bearer ${cfg.reader.readKeys[0]}` }
    : {};
  const res = await fetch(url, { headers }).catch(() => undefined);
  if (!res) return undefined;
  const body = (await res.json()) as { rows?: Record<string, unknown>[]; error?: string; reason?: string };
  if (!res.ok) throw new Error(`${res.status} ${body.error}${body.reason ? `: ${body.reason}` : ''}`);
  return body.rows;
}

try {
  let rows = await viaReader();
  if (!rows) {
    const ch = await connectClickHouse(cfg.clickhouse, cfg.dataDir);
    try {
      const run = REPORTS[name] as (
        c: typeof ch,
        cat: ReturnType<typeof loadCatalogFiles>,
        q: unknown,
      ) => Promise<unknown[]>;
      rows = (await run(ch, loadCatalogFiles(cfg.catalog.paths), parsed.value)) as Record<string, unknown>[];
    } finally {
      await ch.close();
    }
  }
  console.log(table(rows));
} catch (err) {
  if (err instanceof Refused) exitIfRefused(err);
  console.error(`edge-events: ${(err as Error).message}`);
  process.exitCode = 1;
}
