// The Prometheus text the console reads, as prom-client writes it: labels with escapes, histogram buckets, and
// quantiles from the growth of buckets between two scrapes.
import { Counter, Histogram, Registry } from 'prom-client';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { histogramQuantile, parseMetrics, sumBy } from './prometheus.ts';

test('counters by label from real prom-client output, escapes included', async () => {
  const registry = new Registry();
  const events = new Counter({ name: 'e_total', help: 'h', labelNames: ['type', 'outcome'], registers: [registry] });
  events.labels('page_visit', 'accepted').inc(5);
  events.labels('page_visit', 'invalid').inc(2);
  events.labels('a "quoted"\\type', 'accepted').inc(1);
  const samples = parseMetrics(await registry.metrics());
  assert.equal(Object.fromEntries(sumBy(samples, 'e_total', ['type', 'outcome'])), {
    'page_visit accepted': 5,
    'page_visit invalid': 2,
    'a "quoted"\\type accepted': 1,
  });
  assert.equal(Object.fromEntries(sumBy(samples, 'e_total', ['outcome'])), { accepted: 6, invalid: 2 });
  assert.equal(parseMetrics('# HELP x\nnot a metric line\nx{a="1"} NaN\n'), []);
});

test('histogram quantiles interpolate inside the bucket, as histogram_quantile does', async () => {
  const registry = new Registry();
  const lag = new Histogram({ name: 'lag_seconds', help: 'h', buckets: [1, 2, 5], registers: [registry] });
  const before = sumBy(parseMetrics(await registry.metrics()), 'lag_seconds_bucket', ['le']);
  for (const x of [0.5, 1.5, 1.5, 1.5, 4]) lag.observe(x);
  const after = sumBy(parseMetrics(await registry.metrics()), 'lag_seconds_bucket', ['le']);
  const growth = new Map([...after].map(([le, n]) => [le, n - (before.get(le) ?? 0)]));
  // 5 observations: rank 2.5 falls in (1, 2] holding 3 of them after 1 below: 1 + (2.5 - 1) / 3.
  assert.is(histogramQuantile(0.5, growth), 1.5);
  assert.is(histogramQuantile(0.99, growth)!.toFixed(3), (2 + (3 * (4.95 - 4)) / 1).toFixed(3));
  assert.is(histogramQuantile(0.5, new Map([['+Inf', 0]])), undefined);
});

test.run();
