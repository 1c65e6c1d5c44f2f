// Dead letters: what could never be inserted, with its reason, code, deliveries and payload, a page at a time; redrive
// the selected letters, or every letter of a type, after a confirmation — the result shows, and the list reloads.
import { useEffect, useState } from 'preact/hooks';
import { getJson, postJson } from './http.ts';

interface Letter {
  seq: number;
  type: string;
  time: string;
  reason: string;
  code: number | null;
  deliveries: number;
  by: string;
  original_subject: string;
  first_failure: string;
  payload: string;
}

export function DeadLettersPage(props: { canWrite: boolean }) {
  const [letters, setLetters] = useState<Letter[]>([]);
  const [total, setTotal] = useState(0);
  /** Where this page starts (after which sequence number; undefined: the first page), and where the next one does. */
  const [after, setAfter] = useState<number>();
  const [next, setNext] = useState<number | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState<number>();
  const [result, setResult] = useState<string>();
  const [error, setError] = useState<string>();
  const load = (start: number | undefined) =>
    getJson<{ letters: Letter[]; total: number; next: number | null }>(
      `/console/api/dead-letters?limit=500${start === undefined ? '' : `&after=${start}`}`,
    ).then(
      (r) => (setLetters(r.letters), setTotal(r.total), setNext(r.next), setAfter(start), setError(undefined)),
      (e: Error) => setError(e.message),
    );
  useEffect(() => void load(undefined), []);
  const types = [...new Set(letters.map((l) => l.type))];
  const redrive = async (body: { seqs: number[] } | { type: string }, what: string) => {
    if (!confirm(`Redrive ${what}? They go back to their stream and are inserted again.`)) return;
    try {
      const r = await postJson<{ redriven: number }>('/console/api/dead-letters/redrive', body);
      setResult(`redriven: ${r.redriven}`);
      setSelected(new Set());
    } catch (e) {
      setError((e as Error).message);
    }
    await load(after);
  };
  const toggle = (seq: number) => {
    const next = new Set(selected);
    if (!next.delete(seq)) next.add(seq);
    setSelected(next);
  };
  return (
    <section>
      <div class="toolbar">
        <span>
          {total} dead letters{after === undefined ? '' : ' from here on'}
        </span>
        <button
          id="redrive-selected"
          disabled={!props.canWrite || selected.size === 0}
          onClick={() => void redrive({ seqs: [...selected] }, `${selected.size} selected letters`)}
        >
          redrive selected ({selected.size})
        </button>
        {types.map((t) => (
          <button key={t} disabled={!props.canWrite} onClick={() => void redrive({ type: t }, `every letter of ${t}`)}>
            redrive all {t}
          </button>
        ))}
        <button onClick={() => void load(after)}>reload</button>
        {after !== undefined && <button onClick={() => void load(undefined)}>first page</button>}
        {next !== null && (
          <button id="next-page" onClick={() => void load(next)}>
            next page
          </button>
        )}
        {!props.canWrite && <span class="muted">sign in with the console token to redrive</span>}
      </div>
      {result && (
        <p class="ok" id="redrive-result">
          {result}
        </p>
      )}
      {error && <p class="error">{error}</p>}
      <table id="letters">
        <thead>
          <tr>
            <th />
            <th>seq</th>
            <th>type</th>
            <th>time</th>
            <th>reason</th>
            <th>code</th>
            <th class="num">deliveries</th>
          </tr>
        </thead>
        <tbody>
          {letters.map((l) => [
            <tr key={l.seq} class="letter" data-seq={l.seq}>
              <td>
                <input type="checkbox" checked={selected.has(l.seq)} onChange={() => toggle(l.seq)} />
              </td>
              <td class="num">
                <a href="#" onClick={(e) => (e.preventDefault(), setOpen(open === l.seq ? undefined : l.seq))}>
                  {l.seq}
                </a>
              </td>
              <td>{l.type}</td>
              <td>{l.time.replace('T', ' ').slice(0, 19)}</td>
              <td class="reason">{l.reason}</td>
              <td>{l.code ?? ''}</td>
              <td class="num">{l.deliveries}</td>
            </tr>,
            open === l.seq && (
              <tr key={`${l.seq}-detail`}>
                <td />
                <td colSpan={6}>
                  <p class="muted">
                    from {l.original_subject}, dead-lettered by {l.by}, first failure {l.first_failure}
                  </p>
                  <pre>{l.payload}</pre>
                </td>
              </tr>
            ),
          ])}
          {letters.length === 0 && (
            <tr>
              <td colSpan={7} class="muted">
                no dead letters
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
