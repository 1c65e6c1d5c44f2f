// `npm run archive -- list | replay --type T --from TIME --to TIME`: what the cold tier holds (per event table:
// hours, files, rows, bytes), and republishing part of it into the pipeline (hours of receipt, UTC; TIME as ISO
// 8601, e.g. 2024-06-01 or 2024-06-01T13:00Z). Reads ARCHIVE_URL (and the S3 settings), NATS_URL, EVENT_CATALOG.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { createLogger, loadCatalogFiles } from '../shared/node/mod.ts';
import { openStore, replay, summarize, typeNamed, type ReplayProgress } from '../archive/mod.ts';
import { connectNats, createPublisher, natsAccessOf } from '../streams/mod.ts';

const USAGE = 'usage: npm run archive -- list | replay --type T --from TIME --to TIME';
const cfg = loadConfigOrExit();
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { type: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
});
const store = openStore(cfg.archive);

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
const time = (text: string | undefined, name: string) => {
  const ms = text ? Date.parse(/T|:/.test(text) ? text : `${text}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms)) throw new Error(`--${name}: expected a time such as 2024-06-01 or 2024-06-01T13:00Z`);
  return ms;
};

/** One line on stderr, rewritten: [#####.....] files, events. */
function bar(p: ReplayProgress) {
  const width = 30;
  const done = p.files ? Math.round((p.filesDone / p.files) * width) : width;
  const line = `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.filesDone}/${p.files} files, ${p.events} events`;
  process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
}

try {
  const [command] = positionals;
  if (command === 'list') {
    const tables = await summarize(store);
    console.log(`archive: ${store.where}`);
    console.log(['type', 'hours', 'files', 'rows', 'bytes', 'first hour', 'last hour'].join('\t'));
    for (const t of tables) console.log([t.table, t.hours, t.files, t.rows, size(t.bytes), t.first, t.last].join('\t'));
    if (!tables.length) console.log('(nothing archived yet)');
  } else if (command === 'replay' && values.type) {
    const type = typeNamed(loadCatalogFiles(cfg.catalog.paths), values.type);
    const window = { from: time(values.from, 'from'), to: time(values.to, 'to') };
    const log = createLogger('archive', cfg.logLevel);
    const link = await connectNats(natsAccessOf(cfg, 'collector'), 'edge-events archive replay', log);
    try {
      const publisher = createPublisher(link, {
        timeoutMs: cfg.collector.publishTimeoutMs,
        maxEventsPerMessage: cfg.collector.maxEventsPerMessage,
      });
      const done = await replay(store, publisher, type, window, bar);
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(`replayed ${done.events} events of ${type.name} from ${done.files} files`);
    } finally {
      await link.nc.drain();
    }
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (err) {
  console.error(`archive: ${(err as Error).message}`);
  process.exitCode = 1;
}
