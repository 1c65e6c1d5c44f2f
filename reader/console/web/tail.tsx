// Live tail: the newest events as they reach the stream (server-sent events from an ordered consumer), newest
// first, filterable by type, pausable. The server sends at most 50 a second and says how many it skipped.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CatalogInfo } from './catalog.tsx';

interface Tailed {
  type: string;
  seq: number;
  event: Record<string, unknown>;
}

const KEEP = 200;

export function TailPage(props: { catalog?: CatalogInfo }) {
  const [type, setType] = useState('');
  const [paused, setPaused] = useState(false);
  const [events, setEvents] = useState<Tailed[]>([]);
  const [skipped, setSkipped] = useState(0);
  const [state, setState] = useState('connecting…');
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  useEffect(() => {
    const source = new EventSource(`/console/api/tail${type ? `?type=${encodeURIComponent(type)}` : ''}`);
    source.addEventListener('ready', () => setState('live'));
    source.addEventListener('event', (e) => {
      if (pausedRef.current) return setSkipped((n) => n + 1);
      const tailed = JSON.parse((e as MessageEvent<string>).data) as Tailed;
      setEvents((list) => [tailed, ...list].slice(0, KEEP));
    });
    source.addEventListener('skipped', (e) => {
      setSkipped((n) => n + (JSON.parse((e as MessageEvent<string>).data) as { events: number }).events);
    });
    source.onerror = () => setState('reconnecting…');
    return () => source.close();
  }, [type]);
  return (
    <section>
      <div class="toolbar">
        <label>
          type{' '}
          <select value={type} onChange={(e) => setType(e.currentTarget.value)} name="type">
            <option value="">all</option>
            {props.catalog?.types.map((t) => (
              <option key={t.key} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <button onClick={() => setPaused(!paused)}>{paused ? 'resume' : 'pause'}</button>
        <button onClick={() => (setEvents([]), setSkipped(0))}>clear</button>
        <span class="muted" id="tail-state">
          {paused ? 'paused' : state}
        </span>
      </div>
      {skipped > 0 && (
        <p class="warn" id="tail-skipped">
          {skipped} events not shown (paused, or more than 50 a second): this view may miss events.
        </p>
      )}
      <table class="tail">
        <thead>
          <tr>
            <th>type</th>
            <th>seq</th>
            <th>event</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e, i) => (
            <tr key={`${e.seq}-${i}`}>
              <td>{e.type}</td>
              <td class="num">{e.seq}</td>
              <td>
                <code>{JSON.stringify(e.event)}</code>
              </td>
            </tr>
          ))}
          {events.length === 0 && (
            <tr>
              <td colSpan={3} class="muted">
                waiting for events…
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
