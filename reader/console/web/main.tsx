// The console page: a sign-in when the server asks for one, then a bar of pages switched by the URL's hash
// (#/overview, #/tail, #/events, #/dead-letters, #/reports, #/catalog, #/privacy), a link to the API docs, and
// sign-out.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { CatalogPage, type CatalogInfo } from './catalog.tsx';
import { DeadLettersPage } from './dead-letters.tsx';
import { EventsPage } from './events.tsx';
import { getJson, postJson } from './http.ts';
import { OverviewPage } from './overview.tsx';
import { PrivacyPage } from './privacy.tsx';
import { ReportsPage } from './reports.tsx';
import { TailPage } from './tail.tsx';

interface Session {
  signed_in: boolean;
  open: boolean;
  can_sign_in: boolean;
  /** Signed in with the console token (or an open console): may redrive and send test events. */
  can_write: boolean;
}

const PAGES = [
  ['overview', 'Overview'],
  ['tail', 'Live tail'],
  ['events', 'Events'],
  ['dead-letters', 'Dead letters'],
  ['reports', 'Reports'],
  ['catalog', 'Catalog'],
  ['privacy', 'Privacy'],
] as const;
type Page = (typeof PAGES)[number][0];

const pageOf = (hash: string): Page => {
  const name = hash.replace(/^#\//, '').split('?')[0];
  return PAGES.find(([p]) => p === name)?.[0] ?? 'overview';
};

function App() {
  const [session, setSession] = useState<Session>();
  const [page, setPage] = useState<Page>(pageOf(location.hash));
  const [catalog, setCatalog] = useState<CatalogInfo>();
  useEffect(() => {
    const onHash = () => setPage(pageOf(location.hash));
    addEventListener('hashchange', onHash);
    void getJson<Session>('/console/api/session').then(setSession);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (session?.signed_in) void getJson<CatalogInfo>('/console/api/catalog').then(setCatalog);
  }, [session?.signed_in]);
  if (!session) return <p class="muted">loading…</p>;
  if (!session.signed_in) return <SignIn session={session} onSignedIn={setSession} />;
  return (
    <>
      <header>
        <strong>edge-events</strong>
        <nav>
          {PAGES.map(([p, label]) => (
            <a key={p} href={`#/${p}`} class={p === page ? 'active' : ''}>
              {label}
            </a>
          ))}
          <a href="/console/docs">API docs</a>
          {!session.open && (
            <a
              href="#"
              id="sign-out"
              onClick={(e) => {
                e.preventDefault();
                void postJson('/console/api/sign-out', {}).then(() => setSession({ ...session, signed_in: false }));
              }}
            >
              Sign out
            </a>
          )}
        </nav>
      </header>
      <main>
        {page === 'overview' && <OverviewPage />}
        {page === 'tail' && <TailPage catalog={catalog} />}
        {page === 'events' && <EventsPage catalog={catalog} />}
        {page === 'dead-letters' && <DeadLettersPage canWrite={session.can_write} />}
        {page === 'reports' && <ReportsPage catalog={catalog} />}
        {page === 'catalog' && <CatalogPage catalog={catalog} canWrite={session.can_write} />}
        {page === 'privacy' && <PrivacyPage />}
      </main>
    </>
  );
}

function SignIn(props: { session: Session; onSignedIn: (s: Session) => void }) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string>();
  if (!props.session.can_sign_in)
    return <p class="error">This console is not on loopback: set CONSOLE_TOKEN (or READ_KEYS) to sign in.</p>;
  return (
    <form
      class="sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        postJson<{ can_write: boolean }>('/console/api/sign-in', { secret }).then(
          (r) => props.onSignedIn({ ...props.session, signed_in: true, can_write: r.can_write }),
          (err: Error) => setError(err.message),
        );
      }}
    >
      <h2>edge-events console</h2>
      <label>
        console token or read key{' '}
        <input type="password" name="secret" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
      </label>
      <button type="submit">sign in</button>
      {error && <p class="error">{error}</p>}
    </form>
  );
}

render(<App />, document.getElementById('app')!);
