// Reading the Prometheus text format the processes expose (prom-client's GET /metrics): each sample's
// name, labels and value — enough for counters, gauges and histogram buckets. Comments and malformed lines are
// skipped. Wire: text/plain; version=0.0.4.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(LABEL))
      labels[k!] = v!.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
    if (!Number.isNaN(value)) out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** Sums the samples of one name, grouped by the labels named (their values joined by a space). */
export function sumBy(samples: readonly Sample[], name: string, labels: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== name) continue;
    const key = labels.map((l) => s.labels[l] ?? '').join(' ');
    out.set(key, (out.get(key) ?? 0) + s.value);
  }
  return out;
}

/**
 * A quantile from the growth of a histogram's cumulative buckets between two scrapes (`le` → count), interpolated
 * linearly inside the bucket it falls in, as Prometheus's histogram_quantile does; undefined when nothing was
 * observed.
 */
export function histogramQuantile(q: number, buckets: ReadonlyMap<string, number>): number | undefined {
  const sorted = [...buckets].map(([le, n]) => [Number(le === '+Inf' ? Infinity : le), n] as const);
  sorted.sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let [lowerBound, lowerCount] = [0, 0];
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return lowerBound;
      return lowerBound + ((le - lowerBound) * (rank - lowerCount)) / Math.max(count - lowerCount, 1e-9);
    }
    [lowerBound, lowerCount] = [le, count];
  }
  return lowerBound;
}
