// Event ids the collector assigns: UUIDv7 (RFC 9562: 48-bit Unix milliseconds, version 7, 74 random bits),
// written straight from a pool of random bytes — the uuid package's v7() was 7% of a batch's CPU.
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Random bytes, refilled 400 ids at a time: one getRandomValues call per id was a tenth of a batch's CPU. */
const pool = new Uint8Array(10 * 400);
let at = pool.length;

/** "tttttttt-tttt-7" for the current millisecond, made once per millisecond. */
let lastMs = -1;
let prefix = '';

export function newEventId(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    const t = ms.toString(16).padStart(12, '0');
    prefix = `${t.slice(0, 8)}-${t.slice(8)}-7`;
    lastMs = ms;
  }
  if (at === pool.length) {
    crypto.getRandomValues(pool);
    at = 0;
  }
  const r = pool;
  const i = at;
  at += 10;
  // rand_a: 12 bits; variant 0b10 + rand_b: 62 bits.
  return (
    `${prefix}${HEX[r[i]! & 0x0f]![1]}${HEX[r[i + 1]!]}-${HEX[(r[i + 2]! & 0x3f) | 0x80]}${HEX[r[i + 3]!]}-` +
    `${HEX[r[i + 4]!]}${HEX[r[i + 5]!]}${HEX[r[i + 6]!]}${HEX[r[i + 7]!]}${HEX[r[i + 8]!]}${HEX[r[i + 9]!]}`
  );
}
