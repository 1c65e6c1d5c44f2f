// Prometheus metrics of a collector process (prom-client): requests by route and status, events by
// type and outcome, publish latency, events awaiting a PubAck, and the process's own metrics.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CollectorObserver } from './core/mod.ts';

export function collectorMetrics(): CollectorObserver {
  const registry = new Registry();
  try {
    collectDefaultMetrics({ register: registry });
  } catch {
    // Process metrics need Node's internals; other runtimes go without them.
  }
  const requests = new Counter({
    name: 'edge_events_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'edge_events_http_request_duration_seconds',
    help: 'Time to answer a request (including the PubAck wait)',
    labelNames: ['route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const events = new Counter({
    name: 'edge_events_events_total',
    help:
      'Events by type and outcome (accepted, dropped_bot, dropped_consent, dropped_suppressed, invalid, too_large, ' +
      'forbidden, unavailable, overloaded)',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  const publish = new Histogram({
    name: 'edge_events_publish_duration_seconds',
    help: 'JetStream publish until PubAck, per request (all of its events)',
    labelNames: ['ok'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
    registers: [registry],
  });
  // Labelled children looked up once: prom-client hashes the label set on every unlabelled call.
  const cached = <T>(make: (key: string) => T) => {
    const children = new Map<string, T>();
    return (key: string) => {
      let child = children.get(key);
      if (!child) children.set(key, (child = make(key)));
      return child;
    };
  };
  const requestCount = cached((key) => requests.labels(...(key.split(' ') as [string, string])));
  const requestTime = cached((route) => duration.labels(route));
  const eventCount = cached((key) => events.labels(...(key.split(' ') as [string, string])));
  const publishTime = cached((ok) => publish.labels(ok));
  let readInflight = () => 0;
  new Gauge({
    name: 'edge_events_inflight_events',
    help: 'Events awaiting a PubAck',
    registers: [registry],
    collect() {
      this.set(readInflight());
    },
  });
  return {
    request(route, status, seconds) {
      requestCount(`${route} ${status}`).inc();
      requestTime(route).observe(seconds);
    },
    events(type, outcome, count) {
      eventCount(`${type} ${outcome}`).inc(count);
    },
    published(seconds, ok) {
      publishTime(String(ok)).observe(seconds);
    },
    inflight(read) {
      readInflight = read;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
