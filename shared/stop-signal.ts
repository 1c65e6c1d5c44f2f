// How every process stops: on SIGTERM (Kubernetes) or SIGINT (Ctrl-C) it runs `stop` once (drain what it holds;
// repeated signals meanwhile are ignored), then exits 0 — or 1 if stopping failed. Node, Bun and Deno 2 alike.
import { redactUrl } from './redact-url.ts';

declare const Deno: { addSignalListener(signal: string, handler: () => void): void } | undefined;

export function onStopSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(
          `edge-events: stopping failed: ${redactUrl(err instanceof Error ? (err.stack ?? err.message) : String(err))}`,
        );
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    if (typeof Deno !== 'undefined') Deno.addSignalListener(signal, handler);
    else process.on(signal, handler);
  }
}
