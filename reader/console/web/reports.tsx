// Reports over a date range, drawn with uPlot: DAU/WAU/MAU, the solve ratio, per-type daily events and users, the
// session-duration histogram, the task funnel per month, and the API → ClickHouse lag — each from the reading API's
// /v1/reports/*, one point per day of the range.
import { useEffect, useState } from 'preact/hooks';
import type { CatalogInfo } from './catalog.tsx';
import { Chart, seconds, type Series } from './chart.tsx';
import { getJson, lastDays } from './http.ts';

type Rows<T> = { rows: T[] };
interface Loaded {
  activity: Rows<{ date: string; dau: number; wau: number; mau: number }>;
  solve: Rows<{ date: string; solve_ratio: number }>;
  daily: Rows<{ date: string; events: number; users: number | null }>;
  sessions: Rows<{ date: string; sessions: number; histogram: { le: number | null; sessions: number }[] }>;
  funnel: Rows<{ month: string; total_users: number; not_solved: number; tried: number; solved: number }>;
  lag: Rows<{ minute: string; p50_seconds: number; p99_seconds: number }>;
}

/** Every date of the range, so a day without rows is a zero (or a gap), not a missing point. */
function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export function ReportsPage(props: { catalog?: CatalogInfo }) {
  const initial = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const [range, setRange] = useState({ ...lastDays(30), ...Object.fromEntries(initial) } as {
    from: string;
    to: string;
  });
  const [type, setType] = useState('generic');
  const [data, setData] = useState<Partial<Loaded>>({});
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    const q = `from=${range.from}&to=${range.to}`;
    const today = new Date().toISOString().slice(0, 10);
    const calls: [keyof Loaded, string][] = [
      ['activity', `/v1/reports/activity?${q}`],
      ['solve', `/v1/reports/solve-ratio?${q}`],
      ['daily', `/v1/reports/daily?${q}&type=${encodeURIComponent(type)}`],
      ['sessions', `/v1/reports/sessions?${q}&type=${encodeURIComponent(type)}`],
      ['funnel', `/v1/reports/task-funnel?${q}`],
      ['lag', `/v1/reports/lag?from=${today}&to=${today}`],
    ];
    let stale = false;
    setErrors([]);
    for (const [key, url] of calls) {
      getJson<Rows<never>>(url).then(
        (r) => !stale && setData((d) => ({ ...d, [key]: r })),
        (e: Error) => !stale && setErrors((list) => [...list, `${key}: ${e.message}`]),
      );
    }
    return () => {
      stale = true;
    };
  }, [range.from, range.to, type]);
  const dates = datesOf(range.from, range.to);
  const x = dates.map(seconds);
  const byDate = <T extends { date: string }>(rows: T[] | undefined, pick: (r: T) => number | null) => {
    const m = new Map(rows?.map((r) => [r.date, pick(r)]));
    return dates.map((d) => m.get(d) ?? null);
  };
  const activity: Series[] = [
    { label: 'DAU', color: '#1565c0', values: byDate(data.activity?.rows, (r) => r.dau) },
    { label: 'WAU', color: '#2e7d32', values: byDate(data.activity?.rows, (r) => r.wau) },
    { label: 'MAU', color: '#6a1b9a', values: byDate(data.activity?.rows, (r) => r.mau) },
  ];
  const histogram = new Map<string, number>();
  for (const r of data.sessions?.rows ?? []) {
    for (const b of r.histogram) {
      const label = b.le === null ? 'longer' : `≤ ${b.le} s`;
      histogram.set(label, (histogram.get(label) ?? 0) + b.sessions);
    }
  }
  const lagRows = data.lag?.rows ?? [];
  return (
    <section>
      <div class="toolbar">
        <label>
          from{' '}
          <input
            type="date"
            name="from"
            value={range.from}
            onChange={(e) => setRange({ ...range, from: e.currentTarget.value })}
          />
        </label>
        <label>
          to{' '}
          <input
            type="date"
            name="to"
            value={range.to}
            onChange={(e) => setRange({ ...range, to: e.currentTarget.value })}
          />
        </label>
        <label>
          type{' '}
          <select name="type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
            {props.catalog?.types.map((t) => (
              <option key={t.key} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {errors.map((e) => (
        <p class="error" key={e}>
          {e}
        </p>
      ))}
      <div class="grid2">
        <Chart title="DAU / WAU / MAU" x={x} series={activity} />
        <Chart
          title="average task solve ratio"
          x={x}
          series={[{ label: 'solve ratio', color: '#ef6c00', values: byDate(data.solve?.rows, (r) => r.solve_ratio) }]}
        />
        <Chart
          title={`daily ${type}: events and users`}
          x={x}
          series={[
            { label: 'events', color: '#1565c0', values: byDate(data.daily?.rows, (r) => r.events) },
            { label: 'users', color: '#2e7d32', values: byDate(data.daily?.rows, (r) => r.users) },
          ]}
        />
        <Chart
          title={`session durations (${type})`}
          time={false}
          labels={[...histogram.keys()]}
          x={[...histogram.keys()].map((_, i) => i)}
          series={[{ label: 'sessions', color: '#00838f', values: [...histogram.values()], bars: true }]}
        />
        <Chart
          title="lag today, per minute: inserted_at − received_at (s)"
          x={lagRows.map((r) => seconds(r.minute))}
          series={[
            { label: 'p50', color: '#6a1b9a', values: lagRows.map((r) => r.p50_seconds) },
            { label: 'p99', color: '#ef6c00', values: lagRows.map((r) => r.p99_seconds) },
          ]}
        />
        <div>
          <h3>Task funnel: start_task → finish_task within an hour</h3>
          <table id="funnel">
            <thead>
              <tr>
                <th>month</th>
                <th class="num">users</th>
                <th class="num">not started</th>
                <th class="num">tried</th>
                <th class="num">solved</th>
              </tr>
            </thead>
            <tbody>
              {data.funnel?.rows.map((r) => (
                <tr key={r.month}>
                  <td>{r.month}</td>
                  <td class="num">{r.total_users}</td>
                  <td class="num">{r.not_solved}</td>
                  <td class="num">{r.tried}</td>
                  <td class="num">{r.solved}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {histogram.size > 0 && <p class="muted">histogram buckets: {[...histogram.keys()].join(', ')}</p>}
        </div>
      </div>
    </section>
  );
}
