// `npm run report -- <report> --from YYYY-MM-DD --to YYYY-MM-DD [--<parameter> <value>]`: a report as a table in the
// terminal — any report the reading process serves (its registry, reader/reports), with that report's parameters. It
// asks the running reading API (READER_PORT), which holds the embedded engine's data folder while `npm start` runs;
// with nothing running, it opens ClickHouse itself and runs the same report. Wire: HTTP GET /v1/reports/<report>.
import { parseArgs } from 'node:util';
import { exitIfRefused, Refused } from '../shared/mod.ts';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { connectClickHouse } from '../shared/clickhouse/mod.ts';
import { loadCatalogFiles } from '../shared/node/mod.ts';
import { parametersOf, parseQuery, ReaderError, reportPath, reports } from '../reader/mod.ts';

const USAGE = [
  'usage: npm run report -- <report> --from 2024-06-01 --to 2024-06-30 [--<parameter> <value>]',
  ...reports.map((r) => {
    const params = parametersOf(r).map((p) => (p.required ? p.name : `[${p.name}]`));
    return `  ${r.name.padEnd(12)} ${r.summary} (${params.join(', ')})`;
  }),
].join('\n');

/** Rows as an aligned text table, numbers to the right. */
function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const keys = Object.keys(rows[0]!);
  const cells = rows.map((r) => keys.map((k) => String(r[k] ?? '')));
  const width = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i]!.length)));
  const numeric = keys.map((k) => rows.every((r) => typeof r[k] === 'number'));
  const line = (values: string[]) =>
    values.map((v, i) => (numeric[i] ? v.padStart(width[i]!) : v.padEnd(width[i]!))).join('  ');
  return [line(keys), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** What went wrong, on one line: the error, its reason, each bad parameter. */
function describe(err: Error): string {
  if (!(err instanceof ReaderError)) return err.message;
  const { reason, issues = [] } = err.detail;
  return [err.message, reason, issues.map((i) => `--${i.path}: ${i.message}`).join('; ')].filter(Boolean).join(': ');
}

const cfg = loadConfigOrExit();
const names = new Set(reports.flatMap((r) => parametersOf(r).map((p) => p.name)));
const options = Object.fromEntries([...names].map((n) => [n, { type: 'string' as const }]));
const args = (() => {
  try {
    return parseArgs({ allowPositionals: true, options });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();
const report = reports.find((r) => r.name === args.positionals[0]);
if (!report) {
  console.error(USAGE);
  process.exit(2);
}
const query = Object.fromEntries(
  Object.entries(args.values).filter((e): e is [string, string] => typeof e[1] === 'string'),
);
const parsed = parseQuery(report.params, query);
if (!parsed.ok) {
  for (const i of parsed.issues) console.error(`--${i.path}: ${i.message}`);
  process.exit(2);
}

async function viaReader(): Promise<Record<string, unknown>[] | undefined> {
  const url = `http://127.0.0.1:${cfg.reader.port}${reportPath(report!)}?${new URLSearchParams(query)}`;
  // A key configured as its digest (sha256:…) cannot be sent: the first plaintext one is.
  const key = cfg.reader.readKeys.find((k) => !/^sha256:/i.test(k));
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
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
      rows = (await report.run(ch, loadCatalogFiles(cfg.catalog.paths), parsed.value)) as Record<string, unknown>[];
    } finally {
      await ch.close();
    }
  }
  console.log(table(rows));
} catch (err) {
  if (err instanceof Refused) exitIfRefused(err);
  console.error(`edge-events: ${describe(err as Error)}`);
  process.exitCode = 1;
}
