// How the reports page draws the reports it knows, by name: a chart or a table made for each one's rows (their shape
// as the reading API answers it; /openapi.json has each row's schema). A report with no view here is drawn as a
// plain table of its rows, so a new report shows on the page without a change here.
import type { JSX } from 'preact';
import { Chart, seconds } from './chart.tsx';

export interface ViewContext {
  /** The title of the report's answer (its summary in the API docs). */
  summary: string;
  /** The chosen type (reports that take one are asked for it). */
  type: string;
  /** The chosen cut (reports that take `by` are asked for it). */
  by: string;
  /** The x values of the range's dates. */
  x: number[];
  /** One value per date of the range, null where the rows have none. */
  byDate<T extends { date: string }>(rows: T[], pick: (r: T) => number | null): (number | null)[];
}

interface View {
  /** The range it is asked for, when not the page's. */
  range?(): { from: string; to: string };
  draw(rows: unknown[], ctx: ViewContext): JSX.Element;
}

const today = () => new Date().toISOString().slice(0, 10);

type Activity = { date: string; value?: string; dau: number; wau: number; mau: number };

/** Line colours for series drawn by value. */
const PALETTE = ['#1565c0', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#c62828'];
type SolveRatio = { date: string; solve_ratio: number };
type Daily = { date: string; events: number; users: number | null };
type Audience = { date: string; value: string; events: number };
type Sessions = { date: string; sessions: number; histogram: { le: number | null; sessions: number }[] };
type Lag = { minute: string; p50_seconds: number; p99_seconds: number };
type Funnel = { month: string; total_users: number; not_solved: number; tried: number; solved: number };

export const VIEWS: Record<string, View> = {
  activity: {
    draw(rows: Activity[], { x, byDate, by }) {
      if (!rows.some((r) => r.value !== undefined))
        return (
          <Chart
            title="DAU / WAU / MAU"
            x={x}
            series={[
              { label: 'DAU', color: '#1565c0', values: byDate(rows, (r) => r.dau) },
              { label: 'WAU', color: '#2e7d32', values: byDate(rows, (r) => r.wau) },
              { label: 'MAU', color: '#6a1b9a', values: byDate(rows, (r) => r.mau) },
            ]}
          />
        );
      // By a cut: the MAU of the six values with the most, each a line.
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(r.value!, (totals.get(r.value!) ?? 0) + r.mau);
      const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, PALETTE.length);
      return (
        <Chart
          title={`MAU by ${by.replace('_', ' ')}, bots left out`}
          x={x}
          series={top.map(([value], i) => ({
            label: value || '(unknown)',
            color: PALETTE[i]!,
            values: byDate(
              rows.filter((r) => r.value === value),
              (r) => r.mau,
            ),
          }))}
        />
      );
    },
  },
  'solve-ratio': {
    draw: (rows: SolveRatio[], { x, byDate }) => (
      <Chart
        title="average task solve ratio"
        x={x}
        series={[{ label: 'solve ratio', color: '#ef6c00', values: byDate(rows, (r) => r.solve_ratio) }]}
      />
    ),
  },
  daily: {
    draw: (rows: Daily[], { x, byDate, type }) => (
      <Chart
        title={`daily ${type}: events and users`}
        x={x}
        series={[
          { label: 'events', color: '#1565c0', values: byDate(rows, (r) => r.events) },
          { label: 'users', color: '#2e7d32', values: byDate(rows, (r) => r.users) },
        ]}
      />
    ),
  },
  audience: {
    draw(rows: Audience[], { type, by }) {
      // The range's events by value, the ten biggest (the API has every day's rows).
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(r.value, (totals.get(r.value) ?? 0) + r.events);
      const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 10);
      return (
        <Chart
          title={`${type} events by ${by.replace('_', ' ')}, bots left out`}
          time={false}
          labels={top.map(([value]) => value || '(unknown)')}
          x={top.map((_, i) => i)}
          series={[{ label: 'events', color: '#1565c0', values: top.map(([, n]) => n), bars: true }]}
        />
      );
    },
  },
  sessions: {
    draw(rows: Sessions[], { type }) {
      const histogram = new Map<string, number>();
      for (const r of rows) {
        for (const b of r.histogram) {
          const label = b.le === null ? 'longer' : `≤ ${b.le} s`;
          histogram.set(label, (histogram.get(label) ?? 0) + b.sessions);
        }
      }
      return (
        <div style={{ minWidth: 0 }}>
          <Chart
            title={`session durations (${type})`}
            time={false}
            labels={[...histogram.keys()]}
            x={[...histogram.keys()].map((_, i) => i)}
            series={[{ label: 'sessions', color: '#00838f', values: [...histogram.values()], bars: true }]}
          />
          {histogram.size > 0 && <p class="muted">histogram buckets: {[...histogram.keys()].join(', ')}</p>}
        </div>
      );
    },
  },
  lag: {
    range: () => ({ from: today(), to: today() }),
    draw: (rows: Lag[]) => (
      <Chart
        title="lag today, per minute: inserted_at − received_at (s)"
        x={rows.map((r) => seconds(r.minute))}
        series={[
          { label: 'p50', color: '#6a1b9a', values: rows.map((r) => r.p50_seconds) },
          { label: 'p99', color: '#ef6c00', values: rows.map((r) => r.p99_seconds) },
        ]}
      />
    ),
  },
  'task-funnel': {
    draw: (rows: Funnel[]) => (
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
            {rows.map((r) => (
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
      </div>
    ),
  },
};

/** Any report's rows as a table: a column per key, numbers to the right. */
export const rowsTable: View['draw'] = (rows, { summary }) => {
  const list = rows as Record<string, unknown>[];
  const keys = Object.keys(list[0] ?? {});
  const cell = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? ''));
  return (
    <div style={{ minWidth: 0 }}>
      <h3>{summary}</h3>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              {keys.map((k) => (
                <th key={k}>{k}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {list.map((r, i) => (
              <tr key={i}>
                {keys.map((k) => (
                  <td key={k} class={typeof r[k] === 'number' ? 'num' : undefined}>
                    {cell(r[k])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
};
