// A client load that behaves like an SDK: batches of events with their own event_ids, retried with
// the same ids on 503 or a dropped connection, and a record of what each event finally got.

export interface LoadOptions {
  url: string;
  /** Tags the events (their `event` name and id prefix) so a run can be found in ClickHouse. */
  tag: string;
  total: number;
  batch: number;
  concurrency: number;
  /** Every n-th event is invalid (no user_id) and must be refused; 0 for none. */
  invalidEvery?: number;
  /** Give up on a batch after this long of retrying (its events count as unanswered). */
  retryForMs?: number;
  /** Stop starting new batches after this long. */
  deadlineMs?: number;
}

export interface LoadResult {
  accepted: Set<string>;
  rejected: Set<string>;
  /** Never answered with 2xx or 4xx within the retry time. */
  unanswered: Set<string>;
  requests: number;
  retries: number;
  /** Answers 503 (JetStream not reachable, a leader being elected): the batch is sent again. */
  unavailable: number;
  /** Requests that got no answer within 10 s: a collector that hangs. */
  timeouts: number;
  elapsedMs: number;
}

export const loadEventId = (tag: string, i: number) => `${tag}-${i}`;

export async function runLoad(opts: LoadOptions, progress?: (r: LoadResult) => void): Promise<LoadResult> {
  const started = Date.now();
  const result: LoadResult = {
    accepted: new Set(),
    rejected: new Set(),
    unanswered: new Set(),
    requests: 0,
    retries: 0,
    unavailable: 0,
    timeouts: 0,
    elapsedMs: 0,
  };
  const retryForMs = opts.retryForMs ?? 60_000;
  let next = 0;
  const event = (i: number) => ({
    event_id: loadEventId(opts.tag, i),
    dt: '2024-06-01T12:00:00Z',
    event: opts.tag,
    ...(opts.invalidEvery && i % opts.invalidEvery === 0 ? {} : { user_id: `u${i % 1000}` }),
    screen: 'load',
    amount: i,
  });

  const sendBatch = async (events: ReturnType<typeof event>[]) => {
    const giveUpAt = Date.now() + retryForMs;
    let pending = events;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        result.retries++;
        if (Date.now() > giveUpAt) break;
        await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
      result.requests++;
      let body: { results?: { status: string }[] } | undefined;
      try {
        const res = await fetch(`${opts.url}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(pending),
          signal: AbortSignal.timeout(10_000),
        });
        if (res.status === 503) result.unavailable++;
        body = await res.json().catch(() => undefined);
      } catch (err) {
        if ((err as Error).name === 'TimeoutError') result.timeouts++;
        continue; // connection refused or reset, or no answer: the same ids again
      }
      if (!body?.results) continue;
      const again: typeof pending = [];
      body.results.forEach((r, i) => {
        const id = pending[i]!.event_id;
        if (r.status === 'accepted') result.accepted.add(id);
        else if (r.status === 'rejected') result.rejected.add(id);
        else again.push(pending[i]!);
      });
      pending = again;
    }
    for (const e of pending) result.unanswered.add(e.event_id);
  };

  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < opts.total && (!opts.deadlineMs || Date.now() - started < opts.deadlineMs)) {
        const from = next;
        next = Math.min(opts.total, next + opts.batch);
        await sendBatch(Array.from({ length: next - from }, (_, k) => event(from + k)));
        progress?.(result);
      }
    }),
  );
  result.elapsedMs = Date.now() - started;
  return result;
}
