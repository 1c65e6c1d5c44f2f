// Events: a search over the reading API's GET /v1/events (type, user, event name, time range), newest first, a
// page at a time (keyset cursor).
import { useState } from 'preact/hooks';
import type { CatalogInfo } from './catalog.tsx';
import { getJson } from './http.ts';

interface Page {
  rows: Record<string, unknown>[];
  next_cursor: string | null;
}

export function EventsPage(props: { catalog?: CatalogInfo }) {
  const [form, setForm] = useState({ type: '', user_id: '', event: '', from: '', to: '', limit: '50' });
  const [pages, setPages] = useState<Page[]>([]);
  const [error, setError] = useState<string>();
  const search = async (cursor?: string) => {
    const params = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ''));
    if (cursor) params.set('cursor', cursor);
    try {
      const page = await getJson<Page>(`/v1/events?${params}`);
      setPages((p) => (cursor ? [...p, page] : [page]));
      setError(undefined);
    } catch (e) {
      const body = (e as { body?: { issues?: { path: string; message: string }[] } }).body;
      setError(body?.issues?.map((i) => `${i.path}: ${i.message}`).join('; ') ?? (e as Error).message);
    }
  };
  const rows = pages.flatMap((p) => p.rows);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const next = pages.at(-1)?.next_cursor;
  const field = (name: keyof typeof form, label: string, type = 'text') => (
    <label>
      {label}{' '}
      <input
        name={name}
        type={type}
        value={form[name]}
        onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
      />
    </label>
  );
  return (
    <section>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label>
          type{' '}
          <select name="type" value={form.type} onChange={(e) => setForm({ ...form, type: e.currentTarget.value })}>
            <option value="">the generic events</option>
            {props.catalog?.types
              .filter((t) => t.role !== 'fallback')
              .map((t) => (
                <option key={t.key} value={t.name}>
                  {t.name}
                </option>
              ))}
          </select>
        </label>
        {field('user_id', 'user')}
        {field('event', 'event')}
        {field('from', 'from', 'date')}
        {field('to', 'to', 'date')}
        <button type="submit">search</button>
      </form>
      {error && <p class="error">{error}</p>}
      <p class="muted">
        {rows.length} rows{next ? ', more below' : pages.length ? ', the end' : ''}
      </p>
      <div class="scroll">
        <table id="events-table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={String(r.event_id ?? i)}>
                {columns.map((c) => (
                  <td key={c}>{typeof r[c] === 'object' ? JSON.stringify(r[c]) : String(r[c] ?? '')}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {next && <button onClick={() => void search(next)}>next page</button>}
    </section>
  );
}
