// The stop order every process follows, written once: stop taking work (servers, consumers), hand back or finish
// what is held, stop following the catalog, drain NATS, close the status port, close ClickHouse. Each step runs even
// when one before it failed; the first failure is thrown once all have run.
import type { Logger } from '../shared/node/mod.ts';

type StopStep = readonly [what: string, step: (() => Promise<unknown> | unknown) | undefined];

export async function stopInOrder(steps: readonly StopStep[], log: Logger): Promise<void> {
  let first: unknown;
  for (const [what, step] of steps) {
    if (!step) continue;
    try {
      await step();
    } catch (err) {
      log.error({ err, step: what }, 'stopping: a step failed');
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}
