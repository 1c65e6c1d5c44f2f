// A mistake in what a process was given — its configuration, its catalog files, a catalog change ClickHouse or the
// published version cannot take — as opposed to a bug. Said plainly at start-up (exit code 2), never as a stack.
export class Refused extends Error {}

/** For entry points (`start().catch(exitIfRefused)`): a Refused error's message and exit 2; anything else rethrown. */
export function exitIfRefused(err: unknown): never {
  if (!(err instanceof Refused)) throw err;
  console.error(`edge-events: ${err.message}`);
  process.exit(2);
}
