// The console's overview: what the pipeline is doing now, from the processes' own metrics and JetStream's state.
// A sampler runs while someone watches (it starts on the first request and stops a minute after the last): every
// 2 s it scrapes each collector's, sink's and archiver's GET /metrics and /readyz, and reads the streams' and
// consumers' state; rates are the growth of counters between two scrapes. A target whose host name has several
// addresses (a headless Kubernetes Service: one per pod) is scraped at each. Wire: HTTP GET (Prometheus text), NATS
// JetStream API.
import { jetstreamManager, type StreamSourceInfo } from '@nats-io/jetstream';
import { lookup } from 'node:dns/promises';
import type { NatsConnection } from '../../streams/mod.ts';
import { DLQ_STREAM, EVENTS_STREAM } from '../../streams/mod.ts';
import type { Health, Overview, Point, Target } from './overview-types.ts';
import { histogramQuantile, parseMetrics, sumBy, type Sample } from './prometheus.ts';

const INTERVAL_MS = 2000;
const KEEP = 150;
const IDLE_MS = 60_000;

interface Scrape {
  t: number;
  samples: Sample[];
}

export class OverviewSampler {
  #timer?: ReturnType<typeof setInterval>;
  #lastAsked = 0;
  #previous?: Scrape;
  #series: Point[] = [];
  #latest: Omit<Overview, 'series' | 'at'> = {
    health: [],
    rates: [],
    streams: [],
    consumers: [],
    pops: [],
    dead_letters: null,
    nats: false,
  };
  #sampling?: Promise<void>;

  constructor(
    readonly targets: readonly Target[],
    readonly nats: () => NatsConnection | undefined,
  ) {}

  /** The overview now; the first call starts sampling (and waits for the first sample). */
  async overview(): Promise<Overview> {
    this.#lastAsked = Date.now();
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#sample(), INTERVAL_MS);
      this.#timer.unref();
      await this.#sample();
    }
    return { at: new Date().toISOString(), ...this.#latest, series: this.#series };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sample(): Promise<void> {
    if (Date.now() - this.#lastAsked > IDLE_MS) {
      this.stop();
      return Promise.resolve();
    }
    // One sample at a time: a slow target delays the next, never piles them up.
    this.#sampling ??= this.#takeSample().finally(() => (this.#sampling = undefined));
    return this.#sampling;
  }

  async #takeSample(): Promise<void> {
    const t = Date.now();
    const targets = (await Promise.all(this.targets.map(expand))).flat();
    const scraped = await Promise.all(targets.map(scrape));
    const samples = scraped.flatMap((s) => s.samples);
    const previous = this.#previous;
    this.#previous = { t, samples };
    const health = scraped.map((s) => s.health);
    const { streams, consumers, pops, deadLetters } = await jetStreamState(this.nats());
    let rates: Overview['rates'] = [];
    if (previous) {
      const seconds = (t - previous.t) / 1000;
      const growth = (name: string, labels: string[]) => {
        const before = sumBy(previous.samples, name, labels);
        return [...sumBy(samples, name, labels)].map(
          ([key, n]) => [key, Math.max(0, n - (before.get(key) ?? 0)) / seconds] as const,
        );
      };
      rates = growth('edge_events_events_total', ['type', 'outcome'])
        .map(([key, perSecond]) => {
          const [type = '', outcome = ''] = key.split(' ');
          return { type, outcome, per_second: Math.round(perSecond * 10) / 10 };
        })
        .sort((a, b) => b.per_second - a.per_second);
      const lag = new Map(
        growth('edge_events_end_to_end_lag_seconds_bucket', ['le']).map(([le, n]) => [le, n * seconds]),
      );
      const total = (name: string) => growth(name, []).reduce((n, [, r]) => n + r, 0);
      const inserted = total('edge_events_sink_rows_inserted_total');
      const sum = (outcome: (o: string) => boolean) =>
        rates.filter((r) => outcome(r.outcome)).reduce((n, r) => n + r.per_second, 0);
      const round = (x: number | undefined) => (x === undefined ? null : Math.round(x * 1000) / 1000);
      this.#series.push({
        t,
        accepted: sum((o) => o === 'accepted'),
        refused: sum((o) => o !== 'accepted'),
        inserted: Math.round(inserted * 10) / 10,
        archived: Math.round(total('edge_events_archive_events_total') * 10) / 10,
        lag_p50: round(histogramQuantile(0.5, lag)),
        lag_p99: round(histogramQuantile(0.99, lag)),
      });
      if (this.#series.length > KEEP) this.#series.shift();
    }
    this.#latest = {
      health,
      rates,
      streams,
      consumers,
      pops,
      dead_letters: deadLetters,
      nats: Boolean(this.nats()),
    };
  }
}

/** The target at each address of its host name (one for an IP address or a single host). */
async function expand(target: Target): Promise<Target[]> {
  const url = new URL(target.url);
  // IPv4 only: `localhost` has one address there, and the same process twice would count twice.
  const addresses = await lookup(url.hostname, { all: true, family: 4 }).catch(() => []);
  if (addresses.length <= 1) return [target];
  return addresses.map(({ address }) => {
    const at = new URL(target.url);
    at.hostname = address;
    return { role: target.role, url: at.origin };
  });
}

async function scrape(target: Target): Promise<{ health: Health; samples: Sample[] }> {
  const get = (path: string) => fetch(`${target.url}${path}`, { signal: AbortSignal.timeout(1500) });
  const [metrics, ready] = await Promise.all([
    get('/metrics')
      .then(async (r) => (r.ok ? parseMetrics(await r.text()) : undefined))
      .catch(() => undefined),
    get('/readyz')
      .then(async (r) => (await r.body?.cancel(), r.ok))
      .catch(() => false),
  ]);
  return { health: { ...target, up: metrics !== undefined, ready }, samples: metrics ?? [] };
}

async function jetStreamState(nc: NatsConnection | undefined) {
  const streams: Overview['streams'] = [];
  const consumers: Overview['consumers'] = [];
  const pops: Overview['pops'] = [];
  let deadLetters: number | null = null;
  if (!nc) return { streams, consumers, pops, deadLetters };
  try {
    const jsm = await jetstreamManager(nc, { timeout: 1500 });
    for await (const s of jsm.streams.list()) {
      streams.push({ name: s.config.name, messages: s.state.messages, bytes: s.state.bytes });
      if (s.config.name === DLQ_STREAM) deadLetters = s.state.messages;
      // A source's `active`: nanoseconds since its last activity (-1: none yet).
      if (s.config.name === EVENTS_STREAM)
        for (const source of (s.sources ?? []) as (StreamSourceInfo & { external?: { api: string } })[]) {
          // The server names each source's domain by its API prefix, $JS.<domain>.API (the client's type omits it).
          const domain = /^\$JS\.(.+)\.API$/.exec(source.external?.api ?? '')?.[1] ?? source.name;
          const active = source.active >= 0 ? Math.round(source.active / 1e9) : null;
          pops.push({ domain, lag: source.lag, active_seconds_ago: active });
        }
      for await (const c of jsm.consumers.list(s.config.name)) {
        // Ordered consumers (the live tail, dead-letter reads) come and go: only durable ones are the pipeline.
        if (!c.config.durable_name) continue;
        consumers.push({
          stream: s.config.name,
          name: c.name,
          pending: c.num_pending,
          ack_pending: c.num_ack_pending,
          redelivered: c.num_redelivered,
        });
      }
    }
  } catch {
    // JetStream unreachable for now: the page shows what it has, and the next sample tries again.
  }
  return { streams, consumers, pops, deadLetters };
}
