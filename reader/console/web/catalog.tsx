// Catalog: every event type with its route, table, fields (type, limits, whether required), its personal data (what,
// why, how long) and an example payload; a form sends a test event through the collector and shows its exact answer
// — 2xx, or the 4xx naming each field.
import { useState } from 'preact/hooks';
import { postJson } from './http.ts';

/** A type's part of the record of processing, as /console/api/catalog answers it (shared/catalog/privacy.ts). */
interface TypePrivacy {
  consent?: { category?: string; default: string };
  personal: { field: string; consent?: string; kept?: string; source: 'client' | 'collector' }[];
  enrichment: string[];
  rowsKept?: string;
}

interface CatalogType {
  name: string;
  key: string;
  table: string;
  description: string;
  role: string | null;
  route: string;
  unknown_fields: string;
  fields: Record<string, Record<string, unknown> & { type: string }>;
  /** What the collector adds (catalog `enrich:`), and the columns it fills. */
  enrich: Record<string, unknown> | null;
  server_fields: string[];
  /** The type's part of the record of processing (shared/catalog/privacy.ts). */
  privacy: TypePrivacy;
  example: Record<string, unknown>;
}
export interface CatalogInfo {
  version: number;
  types: CatalogType[];
}

const limitsOf = (f: Record<string, unknown>) =>
  Object.entries(f)
    .filter(([k]) => k !== 'type' && k !== 'optional' && k !== 'nullable')
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' | ') : String(v)}`)
    .join(', ');

export function CatalogPage(props: { catalog?: CatalogInfo; canWrite: boolean }) {
  const [chosen, setChosen] = useState(0);
  const type = props.catalog?.types[chosen];
  if (!props.catalog || !type) return <p class="muted">loading…</p>;
  return (
    <section class="grid2">
      <div>
        <p class="muted">
          catalog version {props.catalog.version}, {props.catalog.types.length} types
        </p>
        <ul class="types">
          {props.catalog.types.map((t, i) => (
            <li key={t.key}>
              <a
                href="#/catalog"
                class={i === chosen ? 'active' : ''}
                onClick={(e) => (e.preventDefault(), setChosen(i))}
              >
                {t.name}
              </a>{' '}
              <span class="muted">{t.description}</span>
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3>{type.name}</h3>
        <p>
          <code>POST {type.route}</code> → table <code>{type.table}</code>
          {type.role && <span class="muted"> ({type.role})</span>}; unknown fields: {type.unknown_fields}
        </p>
        <table id="fields">
          <thead>
            <tr>
              <th>field</th>
              <th>type</th>
              <th>required</th>
              <th>limits</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(type.fields).map(([name, f]) => (
              <tr key={name}>
                <td>
                  <code>{name}</code>
                </td>
                <td>
                  {f.type}
                  {f.nullable ? ' | null' : ''}
                </td>
                <td>{f.optional || 'default' in f ? 'no' : 'yes'}</td>
                <td class="muted">{limitsOf(f)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Privacy privacy={type.privacy} />
        <TestForm key={type.key} type={type} canWrite={props.canWrite} />
      </div>
    </section>
  );
}

/** What personal data the type collects, why and how long: the catalog as a record of processing. */
function Privacy({ privacy: p }: { privacy: TypePrivacy }) {
  return (
    <div id="privacy">
      <h3>Personal data</h3>
      <p class="muted">
        rows kept {p.rowsKept ?? 'until deleted'}
        {p.consent &&
          `; consent: ${p.consent.category ? `needs ${p.consent.category}` : 'per field'}, ` +
            `an event that says nothing: ${p.consent.default}`}
      </p>
      {p.personal.length === 0 ? (
        <p class="muted">none declared</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>field</th>
              <th>from</th>
              <th>consent</th>
              <th>kept</th>
            </tr>
          </thead>
          <tbody>
            {p.personal.map((f) => (
              <tr key={f.field}>
                <td>
                  <code>{f.field}</code>
                </td>
                <td>{f.source === 'collector' ? 'the collector' : 'the client'}</td>
                <td>{f.consent ?? 'not needed'}</td>
                <td>{f.kept ?? 'as long as the row'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.enrichment.length > 0 && (
        <ul>
          {p.enrichment.map((e) => (
            <li key={e}>adds {e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TestForm(props: { type: CatalogType; canWrite: boolean }) {
  const [text, setText] = useState(JSON.stringify(props.type.example, null, 2));
  const [answer, setAnswer] = useState<{ status: number; route: string; body: unknown }>();
  const [error, setError] = useState<string>();
  const send = async () => {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (e) {
      return setError(`not JSON: ${(e as Error).message}`);
    }
    setError(undefined);
    try {
      setAnswer(await postJson('/console/api/test-event', { type: props.type.name, payload }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form onSubmit={(e) => (e.preventDefault(), void send())}>
      <h3>Send a test event</h3>
      <textarea name="payload" rows={10} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <button type="submit" disabled={!props.canWrite}>
        send to the collector
      </button>
      {!props.canWrite && <span class="muted"> sign in with the console token to send</span>}
      {error && <p class="error">{error}</p>}
      {answer && (
        <div id="answer" class={answer.status < 300 ? 'ok' : 'error'}>
          <p>
            <strong>{answer.status}</strong> from POST {answer.route}
          </p>
          <pre>{JSON.stringify(answer.body, null, 2)}</pre>
        </div>
      )}
    </form>
  );
}
