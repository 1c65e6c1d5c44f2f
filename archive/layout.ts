// Where an archived event lives: one Parquet object per file the archiver writes, named by the event table, the UTC
// date and hour the stream received the events, and the first and last stream sequence in it —
// `type=<table>/date=2024-06-01/hour=13/000000001200-000000001467.parquet`. The stream's receive time (not the events'
// own time, which can be late or wrong) decides the hour, so an hour, once past, gets no new events but a replay's,
// and a message always maps to the same object folder. The exact sequences a file holds are in its metadata
// (`edge_events.sequences`, ranges such as `1200-1300,1305,1410-1467`): what a redelivered message is checked against.
// A table name is a plain identifier (the catalog's schema says so; checked again here): a name is one folder, never a
// way out of the archive (store.ts refuses such keys too).

export interface ObjectName {
  table: string;
  /** YYYY-MM-DD, UTC. */
  date: string;
  /** 00–23, UTC. */
  hour: string;
  first: number;
  last: number;
}

const TABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The folder of a table's hour: `type=<table>/date=<date>/hour=<hour>/`. */
function hourFolder(table: string, date: string, hour: string): string {
  if (!TABLE.test(table)) throw new Error(`not a table name: ${JSON.stringify(String(table)).slice(0, 80)}`);
  return `type=${table}/date=${date}/hour=${hour}/`;
}

/** The folder of a table's files: `type=<table>/`. */
export function tableFolder(table: string): string {
  if (!TABLE.test(table)) throw new Error(`not a table name: ${JSON.stringify(String(table)).slice(0, 80)}`);
  return `type=${table}/`;
}

/** The folder of the hour `ms` (UTC) falls in. */
export function hourFolderAt(table: string, ms: number): string {
  const iso = new Date(ms).toISOString();
  return hourFolder(table, iso.slice(0, 10), iso.slice(11, 13));
}

const seq = (n: number) => String(n).padStart(12, '0');

export const objectKey = (folder: string, first: number, last: number): string =>
  `${folder}${seq(first)}-${seq(last)}.parquet`;

const KEY = /(?:^|\/)type=([A-Za-z_]\w*)\/date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/(\d+)-(\d+)\.parquet$/;

/** What an object's key says, or undefined for an object that is not an archive file. */
export function parseKey(key: string): ObjectName | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  return { table: m[1]!, date: m[2]!, hour: m[3]!, first: Number(m[4]), last: Number(m[5]) };
}

/** The start of a name's hour, in ms since 1970 (UTC). */
export const hourStart = (n: Pick<ObjectName, 'date' | 'hour'>): number => Date.parse(`${n.date}T${n.hour}:00:00Z`);

/** Sorted sequences as ranges: [1,2,3,5] → "1-3,5". */
export function encodeRanges(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The sequences of encodeRanges' text, as a membership test. */
export function decodeRanges(text: string): (n: number) => boolean {
  const ranges = text
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const [a, b = a] = part.split('-').map(Number);
      return [a!, b!] as const;
    });
  return (n) => ranges.some(([a, b]) => n >= a && n <= b);
}
