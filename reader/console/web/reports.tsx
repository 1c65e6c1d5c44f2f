// Reports over a date range: every report the reading API lists in its OpenAPI document (its /v1/reports/* paths,
// derived from the reader's registry of reports, in its order), each asked for the range — and for the chosen type
// when it takes one — and drawn by its view (report-views.tsx), one point per day of the range.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CatalogInfo } from './catalog.tsx';
import { seconds } from './chart.tsx';
import { getJson, lastDays } from './http.ts';
import { rowsTable, VIEWS, type ViewContext } from './report-views.tsx';

const PREFIX = '/v1/reports/';

/** A report as the OpenAPI document lists it. */
interface Listed {
  name: string;
  path: string;
  summary: string;
  parameters: string[];
  /** The values its `by` takes. */
  cuts: string[];
}

interface OpenApi {
  paths: Record<string, { get?: { summary?: string; parameters?: { name: string; schema?: { enum?: string[] } }[] } }>;
}

const listedIn = (doc: OpenApi): Listed[] =>
  Object.entries(doc.paths)
    .filter(([path, item]) => path.startsWith(PREFIX) && item.get)
    .map(([path, item]) => ({
      name: path.slice(PREFIX.length),
      path,
      summary: item.get!.summary ?? path,
      parameters: item.get!.parameters?.map((p) => p.name) ?? [],
      cuts: item.get!.parameters?.find((p) => p.name === 'by')?.schema?.enum ?? [],
    }));

type Typed = { server_fields: string[] };

/**
 * The queries a report is asked, by the key its rows are kept under: a report of one type that takes `by`, for the
 * chosen cut when the type's enrich: adds it (the API would answer a 400 otherwise); a report of all events that
 * takes `by` (activity), overall and — when it takes the chosen cut — by it too, under `<name> by`.
 */
function asksOf(report: Listed, range: Record<string, string>, type: string, by: string, chosen?: Typed) {
  const query = (extra: Record<string, string>) =>
    new URLSearchParams({ ...range, ...(report.parameters.includes('type') ? { type } : {}), ...extra });
  if (!report.parameters.includes('by')) return [[report.name, query({})] as const];
  if (report.parameters.includes('type'))
    return chosen?.server_fields.includes(by) ? [[report.name, query({ by })] as const] : [];
  return [
    [report.name, query({})] as const,
    ...(report.cuts.includes(by) ? [[`${report.name} by`, query({ by })] as const] : []),
  ];
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
  const [by, setBy] = useState('country');
  const [reports, setReports] = useState<Listed[]>([]);
  const [data, setData] = useState<Record<string, unknown[]>>({});
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    getJson<OpenApi>('/console/api/openapi/reader.json').then(
      (doc) => setReports(listedIn(doc)),
      (e: Error) => setErrors((list) => [...list, `reports: ${e.message}`]),
    );
  }, []);
  useEffect(() => {
    let stale = false;
    setErrors([]);
    const chosen = props.catalog?.types.find((t) => t.key === type);
    const cut = new Set(reports.filter((r) => r.parameters.includes('by')).map((r) => r.name));
    setData((d) => Object.fromEntries(Object.entries(d).filter(([name]) => !cut.has(name.split(' ')[0]!))));
    for (const report of reports) {
      for (const [key, query] of asksOf(report, VIEWS[report.name]?.range?.() ?? range, type, by, chosen)) {
        getJson<{ rows: unknown[] }>(`${report.path}?${query}`).then(
          (r) => !stale && setData((d) => ({ ...d, [key]: r.rows })),
          (e: Error) => !stale && setErrors((list) => [...list, `${report.name}: ${e.message}`]),
        );
      }
    }
    return () => {
      stale = true;
    };
  }, [reports, range.from, range.to, type, by, props.catalog]);
  const dates = datesOf(range.from, range.to);
  const x = dates.map(seconds);
  const context = (summary: string): ViewContext => ({
    summary,
    type,
    by,
    x,
    byDate: (rows, pick) => {
      const m = new Map(rows.map((r) => [r.date, pick(r)]));
      return dates.map((d) => m.get(d) ?? null);
    },
  });
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
        <label>
          by{' '}
          <select name="by" value={by} onChange={(e) => setBy(e.currentTarget.value)}>
            {['country', 'device_type', 'browser', 'os'].map((b) => (
              <option key={b} value={b}>
                {b.replace('_', ' ')}
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
        {reports
          .flatMap((r) => [[r, r.name] as const, [r, `${r.name} by`] as const])
          .filter(([r, key]) => key in data || (key === r.name && !r.parameters.includes('type')))
          .map(([r, key]) => (
            <Fragment key={key}>{(VIEWS[r.name]?.draw ?? rowsTable)(data[key] ?? [], context(r.summary))}</Fragment>
          ))}
      </div>
    </section>
  );
}
