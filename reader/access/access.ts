// Who may do what on the reading process. Three credentials: a read key (`Authorization: Bearer` or `X-Read-Key`,
// READ_KEYS) reads the reading API; a console session (a cookie got by signing in with CONSOLE_TOKEN or a read key)
// reads the API and the console, and writes — redrive, test events — only when signed in with the console token;
// and, for a reader on loopback, the machine itself: a local request (see locality.ts) reads without a key when no
// READ_KEYS are set, and uses the whole console when neither READ_KEYS nor CONSOLE_TOKEN is. Keys and the token are
// held as digests and compared in constant time (shared/secrets.ts: each may be configured as `sha256:<hex>`).
// Sessions expire, are signed out, and are HttpOnly, SameSite=Strict, and Secure unless the reader listens on
// loopback and the page came over http (off loopback a reader is served through TLS, usually ended by a proxy);
// signing in is throttled per client and overall.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import { KeySet } from '../../shared/mod.ts';
import { ReaderError } from '../errors/mod.ts';
import { Throttle } from './limits.ts';
import { hostAllowed, isForwarded, isLoopbackHost, loopbackNames } from './locality.ts';

const SESSION_COOKIE = 'edge_events_console';
const MAX_SESSIONS = 1000;
/** How long a session lasts from its sign-in. */
export const SESSION_SECONDS = 12 * 3600;

export interface Session {
  /** May redrive dead letters and send test events: signed in with the console token (or an open console). */
  canWrite: boolean;
}

interface Held extends Session {
  expires: number;
}

export interface AccessOptions {
  /** READ_KEYS: they read; empty: reading is open to local requests only. */
  readKeys: readonly string[];
  /** The collector's write keys: refused for reading, with a 403 that says so. */
  writeKeys: readonly string[];
  /** CONSOLE_TOKEN. */
  token?: string;
  /** ADMIN_KEYS: they make and read erasure requests (/v1/privacy/*); none: those routes are shut. */
  adminKeys?: readonly string[];
  /** READER_HOST: on loopback, the machine is trusted as said above. */
  host: string;
}

/** Sign-in attempts allowed: 5 at once and 10 a minute per client; 30 at once and 60 a minute from everyone. */
const SIGN_INS = { perClient: { burst: 5, perMinute: 10 }, overall: { burst: 30, perMinute: 60 } };

/** What a request presents to read with. */
type Reader = 'read-key' | 'write-key' | 'unknown-key' | 'session' | 'local' | 'none';

export class ReaderAccess {
  readonly #readKeys: KeySet<true>;
  readonly #writeKeys: KeySet<true>;
  readonly #token: KeySet<true>;
  readonly #adminKeys: KeySet<true>;
  readonly #sessions = new Map<string, Held>();
  readonly #signIns = new Throttle(SIGN_INS);
  /** Listening on loopback: the machine is trusted, and only its own names are answered. */
  readonly loopback: boolean;
  readonly names: ReadonlySet<string>;

  constructor(opts: AccessOptions) {
    this.#readKeys = new KeySet(opts.readKeys.map((k) => [k, true] as const));
    this.#writeKeys = new KeySet(opts.writeKeys.map((k) => [k, true] as const));
    this.#token = new KeySet(opts.token === undefined ? [] : [[opts.token, true] as const]);
    this.#adminKeys = new KeySet((opts.adminKeys ?? []).map((k) => [k, true] as const));
    this.loopback = isLoopbackHost(opts.host);
    this.names = loopbackNames(opts.host);
  }

  /** Signing in is possible at all: with neither a token nor read keys there is nothing to sign in with. */
  get canSignIn(): boolean {
    return this.#token.size > 0 || this.#readKeys.size > 0;
  }

  /** On loopback, a request naming another host (DNS rebinding) is refused whatever it carries: the reason. */
  foreignHost(c: Context): string | undefined {
    if (!this.loopback) return undefined;
    const named = [c.req.header('host'), new URL(c.req.url).host].filter((h) => h !== undefined);
    if (named.every((h) => hostAllowed(h, this.names))) return undefined;
    return `this reader listens on loopback and answers only to ${[...this.names].join(', ')} in Host`;
  }

  /** From this machine, not through a proxy: on loopback, naming the reader by its own name, nothing forwarded. */
  isLocal(c: Context): boolean {
    return this.loopback && !this.foreignHost(c) && !isForwarded(c.req.raw.headers);
  }

  /** The console needs no sign-in for this request: a local one, with no token or read key to protect. */
  consoleOpen(c: Context): boolean {
    return !this.canSignIn && this.isLocal(c);
  }

  /** Why a request without credentials cannot read or use the console (its 401's text). */
  refusal(c: Context, what: 'read' | 'console'): string {
    if (what === 'read' && this.#readKeys.size > 0) return 'a read key is required';
    if (what === 'console' && this.canSignIn) return 'sign in with the console token or a read key';
    if (this.loopback && isForwarded(c.req.raw.headers))
      return 'a forwarded request is not local: set READ_KEYS or CONSOLE_TOKEN to let it in';
    return what === 'read'
      ? 'this reader is not on loopback: set READ_KEYS to read (or sign in to the console)'
      : 'this console is not on loopback: set CONSOLE_TOKEN (or READ_KEYS) to sign in';
  }

  /** Whether the request carries an admin key (`Authorization: Bearer` or `X-Admin-Key`): never a session, never
   *  the machine itself — an erasure is asked for with a key on purpose. */
  isAdmin(c: Context): 'admin' | 'other-key' | 'none' {
    const key = c.req.header('x-admin-key') ?? /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (key === undefined) return 'none';
    return this.#adminKeys.has(key) ? 'admin' : 'other-key';
  }

  /** What the request reads with: a key it carries, else a session, else the machine itself. */
  readerOf(c: Context): Reader {
    const key = c.req.header('x-read-key') ?? /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (key !== undefined) {
      if (this.#readKeys.has(key)) return 'read-key';
      return this.#writeKeys.has(key) ? 'write-key' : 'unknown-key';
    }
    if (this.#held(c)) return 'session';
    return this.#readKeys.size === 0 && this.isLocal(c) ? 'local' : 'none';
  }

  /** The request's console session; an open console treats a local request as signed in, allowed to write. */
  sessionOf(c: Context): Session | undefined {
    if (this.consoleOpen(c)) return { canWrite: true };
    const held = this.#held(c);
    return held && { canWrite: held.canWrite };
  }

  /**
   * A session for this secret (the console token: may write; a read key: reads), or undefined when it is neither.
   * A ReaderError (429) when this client, or everyone together, tried too often.
   */
  signIn(c: Context, secret: string): Session | undefined {
    const wait = this.#signIns.attempt(clientOf(c));
    if (wait > 0)
      throw new ReaderError('busy', 'too many sign-in attempts; try again later', {
        headers: { 'retry-after': String(wait) },
      });
    const isToken = this.#token.has(secret);
    if (!isToken && !this.#readKeys.has(secret)) return undefined;
    const id = randomBytes(24).toString('base64url');
    const now = Date.now();
    for (const [old, held] of this.#sessions) if (held.expires <= now) this.#sessions.delete(old);
    if (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
    this.#sessions.set(id, { canWrite: isToken, expires: now + SESSION_SECONDS * 1000 });
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: SESSION_SECONDS,
      secure: this.#secureCookie(c),
    });
    return { canWrite: isToken };
  }

  /** Ends the request's session (if any) and clears its cookie. */
  signOut(c: Context): void {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) this.#sessions.delete(id);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: this.#secureCookie(c) });
  }

  /** Off loopback the cookie is always Secure: behind a TLS-terminating proxy the reader itself sees http. */
  #secureCookie(c: Context): boolean {
    return !this.loopback || new URL(c.req.url).protocol === 'https:';
  }

  #held(c: Context): Held | undefined {
    const id = getCookie(c, SESSION_COOKIE);
    const held = id === undefined ? undefined : this.#sessions.get(id);
    if (!held) return undefined;
    if (held.expires > Date.now()) return held;
    this.#sessions.delete(id!);
    return undefined;
  }
}

/** The client's address as the socket saw it ('' in-process, where there is no socket). */
function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return '';
  }
}
