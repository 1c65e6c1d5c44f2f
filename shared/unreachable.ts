// Whether a connection error means "the server is not there yet" (refused, reset, timed out, its name not in
// DNS yet) — worth waiting for at start — rather than a mistake that waiting will not fix (auth, TLS, a bad URL).
const CODES = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|socket hang up/;

export function unreachable(err: unknown): boolean {
  for (let e = err as (Error & { code?: string; cause?: unknown }) | undefined; e; e = e.cause as typeof e) {
    if (e.name === 'ConnectionError' || CODES.test(`${e.code ?? ''} ${e.message ?? ''}`)) return true;
  }
  return false;
}
