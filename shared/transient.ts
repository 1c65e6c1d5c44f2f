// Whether an error means "the server is not there (yet)": refused, reset, timed out, its name not in DNS yet, its
// network gone. Worth waiting for (at start) or retrying; a mistake that waiting will not fix (auth, TLS, a bad URL)
// is not. Recognised by the system error code along the `cause` chain (Node, nats.js and @clickhouse/client all
// carry the socket's error there), never by message text.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function isUnreachable(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
