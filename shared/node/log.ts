// Structured JSON logging (pino): one line per notable event, never secrets.
// Each process makes one root logger and hands children to its parts.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string, level = 'info'): Logger {
  return pino({
    name,
    level,
    base: { svc: name },
    redact: ['password', '*.password', 'authorization', '*.authorization'],
  });
}
