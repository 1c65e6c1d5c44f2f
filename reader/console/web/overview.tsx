// Overview: events per second accepted and refused (and rows inserted, events archived), lag p50/p99, the streams
// and consumers with what is pending, dead letters, and the health of every collector, sink and archiver — refreshed
// every 2 s.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Chart } from './chart.tsx';
import { getJson } from './http.ts';
import type { Overview } from '../overview-types.ts';

export function OverviewPage() {
  const [data, setData] = useState<Overview>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    const load = () =>
      getJson<Overview>('/console/api/overview').then(
        (o) => !stopped && (setData(o), setError(undefined)),
        (e: Error) => !stopped && setError(e.message),
      );
    void load();
    const timer = setInterval(load, 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  const x = useMemo(() => data?.series.map((p) => p.t / 1000) ?? [], [data]);
  const rates = useMemo(
    () => [
      { label: 'accepted/s', color: '#2f7d32', values: data?.series.map((p) => p.accepted) ?? [] },
      { label: 'refused/s', color: '#c62828', values: data?.series.map((p) => p.refused) ?? [] },
      { label: 'inserted/s', color: '#1565c0', values: data?.series.map((p) => p.inserted) ?? [] },
      { label: 'archived/s', color: '#00838f', values: data?.series.map((p) => p.archived) ?? [] },
    ],
    [data],
  );
  const lag = useMemo(
    () => [
      { label: 'lag p50 s', color: '#6a1b9a', values: data?.series.map((p) => p.lag_p50) ?? [] },
      { label: 'lag p99 s', color: '#ef6c00', values: data?.series.map((p) => p.lag_p99) ?? [] },
    ],
    [data],
  );
  if (!data) return <p class="muted">{error ?? 'loading…'}</p>;
  const last = data.series.at(-1);
  const now = Date.parse(data.at) / 1000;
  const span: [number, number] = [now - 300, now];
  // What waits for the sink and the relays: the archiver holds messages for minutes by design (its row is below).
  const pending = data.consumers
    .filter((c) => c.name !== 'archiver')
    .reduce((n, c) => n + c.pending + c.ack_pending, 0);
  return (
    <section>
      {error && <p class="error">{error}</p>}
      <div class="cards">
        <Card label="accepted / s" value={last?.accepted ?? 0} />
        <Card label="refused / s" value={last?.refused ?? 0} bad={(last?.refused ?? 0) > 0} />
        <Card label="lag p50 / p99" value={last ? `${fmt(last.lag_p50)} / ${fmt(last.lag_p99)} s` : '–'} />
        <Card label="waiting (sink, relays)" value={pending} />
        <Card label="dead letters" value={data.dead_letters ?? '–'} bad={(data.dead_letters ?? 0) > 0} />
      </div>
      <div class="grid2">
        <Chart title="events per second, last 5 minutes" x={x} series={rates} xRange={span} />
        <Chart title="end-to-end lag (s)" x={x} series={lag} xRange={span} />
      </div>
      <div class="grid2">
        <div>
          <h3>By type and outcome (last 2 s)</h3>
          <table>
            <thead>
              <tr>
                <th>type</th>
                <th>outcome</th>
                <th class="num">events/s</th>
              </tr>
            </thead>
            <tbody>
              {data.rates.map((r) => (
                <tr key={`${r.type} ${r.outcome}`}>
                  <td>{r.type}</td>
                  <td>{r.outcome}</td>
                  <td class="num">{r.per_second}</td>
                </tr>
              ))}
              {data.rates.length === 0 && (
                <tr>
                  <td colSpan={3} class="muted">
                    nothing yet
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <h3>Health</h3>
          <table>
            <tbody>
              {data.health.map((h) => (
                <tr key={h.url}>
                  <td>{h.role}</td>
                  <td>{h.url}</td>
                  <td class={h.ready ? 'ok' : 'error'}>{h.ready ? 'ready' : h.up ? 'not ready' : 'down'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>Streams {data.nats ? '' : '(no NATS connection)'}</h3>
          <table>
            <thead>
              <tr>
                <th>stream</th>
                <th class="num">messages</th>
                <th class="num">bytes</th>
              </tr>
            </thead>
            <tbody>
              {data.streams.map((s) => (
                <tr key={s.name}>
                  <td>{s.name}</td>
                  <td class="num">{s.messages}</td>
                  <td class="num">{s.bytes}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.pops.length > 0 && (
            <>
              <h3>Points of presence</h3>
              <table id="pops">
                <thead>
                  <tr>
                    <th>domain</th>
                    <th class="num">not yet sourced</th>
                    <th class="num">source active</th>
                  </tr>
                </thead>
                <tbody>
                  {data.pops.map((p) => (
                    <tr key={p.domain} class={p.lag > 0 ? 'bad' : ''}>
                      <td>{p.domain}</td>
                      <td class="num">{p.lag}</td>
                      <td class="num">{p.active_seconds_ago === null ? 'not yet' : `${p.active_seconds_ago} s ago`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h3>Consumers</h3>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>consumer</th>
                  <th class="num">pending</th>
                  <th class="num">awaiting ack</th>
                  <th class="num">redelivered</th>
                </tr>
              </thead>
              <tbody>
                {data.consumers.map((c) => (
                  <tr key={`${c.stream}/${c.name}`}>
                    <td>
                      {c.stream}/{c.name}
                    </td>
                    <td class="num">{c.pending}</td>
                    <td class="num">{c.ack_pending}</td>
                    <td class="num">{c.redelivered}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </section>
  );
}

const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(2));

function Card(props: { label: string; value: string | number; bad?: boolean }) {
  return (
    <div class={`card${props.bad ? ' bad' : ''}`}>
      <div class="value">{props.value}</div>
      <div class="label">{props.label}</div>
    </div>
  );
}
