// Event ids the collector assigns: UUIDv7 (time-ordered) from the uuid package, its random bytes drawn
// from a pool refilled 256 ids at a time — one getRandomValues call per id was a tenth of a batch's CPU.
import { v7 } from 'uuid';

const pool = new Uint8Array(16 * 256);
let at = pool.length;

function random(): Uint8Array {
  if (at === pool.length) {
    crypto.getRandomValues(pool);
    at = 0;
  }
  return pool.subarray(at, (at += 16));
}

export const newEventId = (): string => v7({ rng: random });
