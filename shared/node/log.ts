// Structured JSON logging (pino): one line per notable event, never secrets. Each process (or each part of `npm
// start`) makes one logger named for its service — every line carries `svc` once — and hands children to its parts.
// Secrets are kept out twice: fields whose names carry one (headers, passwords, tokens, keys, sources' write keys)
// are censored at any depth up to four, and the finished line has every URL's credentials removed (redactUrl), so a
// NATS or ClickHouse URL with `user:pass@` stays clean even inside an error message or a stack.
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactUrl } from '../mod.ts';

export type { Logger };

/** Field names whose values are secrets, wherever they sit. */
const SECRET_FIELDS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-write-key',
  'x-read-key',
  'x-api-key',
  'webhook-signature',
  'password',
  'pass',
  'token',
  'secret',
  'secrets',
  'readKeys',
  'writeKeys',
  'accessKeyId',
  'secretAccessKey',
  'CLICKHOUSE_PASSWORD',
  'CONSOLE_TOKEN',
  'READ_KEYS',
  'COLLECTOR_WRITE_KEYS',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
];
/** `key` is also an archive file's name: censored only where it is a source's write key. */
const SECRET_PATHS = ['sources[*].key', '*.sources[*].key', '*.*.sources[*].key'];

const field = (name: string) => (/^\w+$/.test(name) ? name : `["${name}"]`);
const REDACT = [
  ...SECRET_FIELDS.flatMap((name) =>
    ['', '*', '*.*', '*.*.*'].map((above) => (above ? `${above}${/^\w+$/.test(name) ? '.' : ''}` : '') + field(name)),
  ),
  ...SECRET_PATHS,
];

/** `destination`: where lines go (standard output when absent; a test's stream). */
export function createLogger(svc: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { svc },
      redact: { paths: REDACT, censor: '[redacted]' },
      hooks: { streamWrite: redactUrl },
    },
    destination,
  );
}
