// Poison isolation: when ClickHouse rejects a batch for its data, bisect it — insert each half,
// recurse into the half that fails — until the rejected items stand alone; everything else goes in.
// A rejected item that holds several rows (a message of many events) is split and bisected in turn.
import { decideInsert } from './retry-logic.ts';
import type { Refused, Retry } from '../streams/mod.ts';

export interface Isolated<T> {
  inserted: T[];
  rejected: { item: T; decision: Refused }[];
  /** Items whose insert failed for a retryable reason (server down mid-bisect, …). */
  retry: T[];
  retryDecision?: Retry;
}

/** `split`: the smaller items one item holds (the events of a message), tried in turn once it is rejected alone. */
export async function insertIsolating<T>(
  items: T[],
  insert: (items: T[]) => Promise<void>,
  split: (item: T) => T[] | undefined = () => undefined,
): Promise<Isolated<T>> {
  const out: Isolated<T> = { inserted: [], rejected: [], retry: [] };
  const visit = async (part: T[]): Promise<void> => {
    if (part.length === 0) return;
    const failure = await insert(part).then(
      () => undefined,
      (err: unknown) => err ?? new Error('insert failed'),
    );
    const decision = decideInsert(failure);
    if (decision.kind === 'ok') {
      out.inserted.push(...part);
    } else if (decision.kind === 'retry') {
      out.retry.push(...part);
      out.retryDecision ??= decision;
    } else if (part.length === 1) {
      const pieces = split(part[0]!);
      // The whole just failed: go straight to its halves.
      if (pieces && pieces.length > 1) await halves(pieces);
      else out.rejected.push({ item: part[0]!, decision });
    } else {
      await halves(part);
    }
  };
  const halves = async (part: T[]) => {
    const mid = Math.ceil(part.length / 2);
    await visit(part.slice(0, mid));
    await visit(part.slice(mid));
  };
  await visit(items);
  return out;
}
