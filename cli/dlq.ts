// `npm run dlq -- list [--type T] [--since T] | show <seq> | redrive [--type T] [--since T]`:
// inspect dead letters, and after a fix have a running sink republish them to `events.*` (idempotent by event_id).
import { connect } from '@nats-io/transport-node';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import {
  natsAccessOf,
  natsOptions,
  readLetters,
  RedriveError,
  requestRedrive,
  showLetter,
  type LetterFilter,
} from '../streams/mod.ts';

const USAGE =
  'usage: npm run dlq -- list [--type T] [--since 2024-01-01T00:00:00Z|1h] | show <seq> | ' +
  'redrive [--type T] [--since …]';

/** An ISO time, or a duration back from now: 30m, 6h, 2d. */
function parseSince(text?: string): Date | undefined {
  if (!text) return undefined;
  const rel = /^(\d+)([smhd])$/.exec(text);
  if (rel)
    return new Date(
      Date.now() - Number(rel[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[rel[2] as 's' | 'm' | 'h' | 'd'],
    );
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new Error(`--since: not a time or duration: ${text}`);
  return at;
}

function bar(done: number, total: number) {
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  process.stderr.write(`\rredrive [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

const cfg = loadConfigOrExit();
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { type: { type: 'string' }, since: { type: 'string' } },
});
const [command, arg] = positionals;
const filter: LetterFilter = { type: values.type, since: parseSince(values.since) };
// As the reader's NATS user: it reads dead letters and asks a sink to redrive them, as the console does.
const nc = await connect(natsOptions(natsAccessOf(cfg, 'reader'), 'edge-events dlq'));
try {
  if (command === 'list') {
    const counts = new Map<string, number>();
    let n = 0;
    for await (const l of readLetters(nc, filter)) {
      n++;
      const key = `${l.subject}  ${l.code ?? '-'}  ${l.reason.slice(0, 70)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      console.log(
        `${String(l.seq).padStart(8)}  ${l.time.toISOString()}  ${l.subject.padEnd(28)} ` +
          `${String(l.code ?? '-').padStart(4)}  x${l.deliveries}  ${l.reason.slice(0, 90)}`,
      );
    }
    console.log(`\n${n} dead letters`);
    for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1]))
      console.log(`${String(count).padStart(8)}  ${key}`);
  } else if (command === 'show' && arg && /^\d+$/.test(arg)) {
    const l = await showLetter(nc, Number(arg));
    if (!l) {
      console.error(`no dead letter with sequence ${arg}`);
      process.exitCode = 1;
    } else {
      const { data, remaining: _, ...meta } = l;
      console.log(JSON.stringify({ ...meta, payload: new TextDecoder().decode(data) }, null, 2));
    }
  } else if (command === 'redrive') {
    const since = filter.since?.toISOString();
    const n = await requestRedrive(nc, { type: filter.type, ...(since ? { since } : {}) }, bar).catch((err) => {
      if (!(err instanceof RedriveError)) throw err;
      console.error(`${err.message}${err.kind === 'unavailable' ? ': is a sink running?' : ''}`);
      process.exitCode = 1;
    });
    if (n !== undefined) console.log(`redriven: ${n}`);
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} finally {
  await nc.close();
}
