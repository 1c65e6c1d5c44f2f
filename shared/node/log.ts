// Structured JSON logging (pino): one line per notable event, never secrets. Each process (or each part of `npm
// start`) makes one logger named for its service — every line carries `svc` once — and hands children to its parts.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(svc: string, level = 'info'): Logger {
  return pino({
    level,
    base: { svc },
    redact: ['password', '*.password', 'authorization', '*.authorization'],
  });
}
