// Privacy: ask for one person's erasure (and, with suppression, that their new events be refused) and follow the
// request until every place has answered. It takes an admin key (ADMIN_KEYS), typed here and sent as a header with
// each call: a console session alone, even the console token's, cannot ask for an erasure. The key stays in this
// page's memory only.
import { useEffect, useState } from 'preact/hooks';
import { getJson, postJson } from './http.ts';

interface Erasure {
  id: string;
  status: 'pending' | 'done';
  user_id: string;
  suppress: boolean;
  requested_at: string;
  places: Record<string, Record<string, string | number>>;
}

const API = '/v1/privacy/deletions';

export function PrivacyPage() {
  const [key, setKey] = useState('');
  const [user, setUser] = useState('');
  const [suppress, setSuppress] = useState(false);
  const [request, setRequest] = useState<Erasure>();
  const [error, setError] = useState<string>();
  const auth = { authorization: `Bearer ${key}` };
  // A pending request is asked about every two seconds until it is done.
  useEffect(() => {
    if (!request || request.status === 'done') return;
    const timer = setTimeout(
      () => void getJson<Erasure>(`${API}/${request.id}`, auth).then(setRequest, (e: Error) => setError(e.message)),
      2000,
    );
    return () => clearTimeout(timer);
  }, [request]);
  const ask = async () => {
    setError(undefined);
    try {
      setRequest(await postJson<Erasure>(API, { user_id: user, suppress }, auth));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section>
      <h3>Erase one person</h3>
      <p class="muted">
        Deletes the person's events from every table, the marts, the dead letters and the archive (matched by user_id).
        With suppression, their new events are refused from now on.
      </p>
      <form id="erasure" onSubmit={(e) => (e.preventDefault(), void ask())}>
        <label>
          admin key{' '}
          <input type="password" name="admin-key" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        </label>{' '}
        <label>
          user_id <input name="user-id" value={user} onInput={(e) => setUser(e.currentTarget.value)} />
        </label>{' '}
        <label>
          <input
            type="checkbox"
            name="suppress"
            checked={suppress}
            onChange={(e) => setSuppress(e.currentTarget.checked)}
          />{' '}
          suppress
        </label>{' '}
        <button type="submit" disabled={!key || !user}>
          erase
        </button>
      </form>
      {error && <p class="error">{error}</p>}
      {request && (
        <div id="erasure-status">
          <p>
            request <code>{request.id}</code>: <strong>{request.status}</strong> (user {request.user_id}
            {request.suppress ? ', suppressed' : ''}, asked {request.requested_at})
          </p>
          <ul>
            {Object.entries(request.places).map(([place, counts]) => (
              <li key={place}>
                {place}:{' '}
                {Object.entries(counts)
                  .filter(([k]) => k !== 'done_at')
                  .map(([k, n]) => `${k} ${n}`)
                  .join(', ')}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
