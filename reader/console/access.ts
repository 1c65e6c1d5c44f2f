// Who may use the console. It is open — no sign-in — only where there is nothing to protect: listening on loopback
// with no CONSOLE_TOKEN and no READ_KEYS. Otherwise a browser signs in once with the console token or a read key and
// gets a session cookie (HttpOnly, SameSite=Strict: the secret never reaches the page's scripts). Redriving dead
// letters writes to the pipeline: when a console token is set, only a session signed in with it may redrive, even
// on loopback. A session also reads the reading API (/v1/*), which is what the console's pages call.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

const SESSION_COOKIE = 'edge_events_console';
const MAX_SESSIONS = 1000;

interface Session {
  canRedrive: boolean;
}

export class ConsoleAccess {
  readonly #sessions = new Map<string, Session>();
  readonly #token?: string;
  readonly #readKeys: readonly string[];
  /** No sign-in needed: loopback, and no token or read key to protect. */
  readonly open: boolean;

  constructor(opts: { token?: string; readKeys: readonly string[]; host: string }) {
    this.#token = opts.token;
    this.#readKeys = opts.readKeys;
    const loopback = ['127.0.0.1', 'localhost', '::1'].includes(opts.host);
    this.open = loopback && !opts.token && opts.readKeys.length === 0;
  }

  /** Signing in is possible at all: off loopback with neither a token nor read keys, the console stays shut. */
  get canSignIn(): boolean {
    return this.#token !== undefined || this.#readKeys.length > 0;
  }

  /** A session for this secret, or undefined when it is neither the console token nor a read key. */
  signIn(c: Context, secret: string): Session | undefined {
    const isToken = this.#token !== undefined && same(secret, this.#token);
    if (!isToken && !this.#readKeys.some((k) => same(secret, k))) return undefined;
    const session = { canRedrive: isToken };
    const id = randomBytes(24).toString('base64url');
    if (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
    this.#sessions.set(id, session);
    setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return session;
  }

  /** The request's session; an open console treats everyone as signed in, allowed to redrive. */
  sessionOf(c: Context): Session | undefined {
    if (this.open) return { canRedrive: true };
    const id = getCookie(c, SESSION_COOKIE);
    return id ? this.#sessions.get(id) : undefined;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
