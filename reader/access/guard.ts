// The reading process's one door check, run before every route: every route needs credentials (access.ts) unless it
// is on PUBLIC_ROUTES, the one list of what anyone may reach, each with why. Before that, on loopback a request
// naming another host is refused (DNS rebinding), and a request that changes state (any method but GET, HEAD,
// OPTIONS) must come from the page itself — an Origin naming this host, a JSON body — so a page of another site can
// neither post a form nor script a request that the browser's cookies or the machine's trust would carry. Bodies
// are bounded. Every answer carries a Content-Security-Policy (the console's pages load only their own files, and
// no site may frame them) and tells browsers not to sniff types or send referrers.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { ReaderError } from '../errors/mod.ts';
import type { ReaderAccess } from './access.ts';
import { isJson, sameOrigin } from './locality.ts';

interface PublicRoute {
  method: 'GET' | 'POST';
  /** The route's path as registered (hono's pattern). */
  path: string;
  why: string;
}

/** What anyone may reach. Nothing here reads events, reports, the catalog, the pipeline's state or writes. */
export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  { method: 'GET', path: '/healthz', why: 'liveness probe: answers ok and nothing else' },
  { method: 'GET', path: '/readyz', why: 'readiness probe: whether ClickHouse answers, as a boolean' },
  { method: 'GET', path: '/', why: 'a redirect to /console/' },
  { method: 'GET', path: '/console', why: 'the console page: an HTML shell that shows the sign-in form, no data' },
  { method: 'GET', path: '/console/docs', why: 'the API docs page: an HTML shell; its documents need a session' },
  { method: 'GET', path: '/console/assets/:name', why: "the pages' script, styles and Swagger UI (built files)" },
  { method: 'GET', path: '/console/api/session', why: 'tells the page whether to show the sign-in form' },
  { method: 'POST', path: '/console/api/sign-in', why: 'signing in (throttled, body bounded)' },
  { method: 'POST', path: '/console/api/sign-out', why: "ends the caller's own session, if any" },
];

/** Bodies are bounded: the largest the console sends is a test event (the collector's per-event limit is 32 KiB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The routes of erasure requests: admin keys only. */
export const PRIVACY_PREFIX = '/v1/privacy/';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Security headers on every answer, errors included (it runs first, and sets them on the way out). */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('content-security-policy', CSP);
  c.res.headers.set('x-frame-options', 'DENY');
  c.res.headers.set('x-content-type-options', 'nosniff');
  c.res.headers.set('referrer-policy', 'no-referrer');
};

/** Refuses what a request may not reach (a ReaderError, answered by the app's onError); the rest goes on. */
export function guard(access: ReaderAccess): MiddlewareHandler {
  return async (c, next) => {
    const foreign = access.foreignHost(c);
    if (foreign) throw new ReaderError('forbidden', 'unknown host', { reason: foreign });
    // Erasure requests: an admin key and nothing else (no session, no cookie the browser would add on its own, so no
    // Origin to check), a JSON body.
    if (c.req.path.startsWith(PRIVACY_PREFIX)) {
      const admin = access.isAdmin(c);
      if (admin === 'admin') {
        if (!SAFE_METHODS.has(c.req.method) && !isJson(c.req.header('content-type')))
          throw new ReaderError('unsupported-media', 'send the body as application/json');
        return next();
      }
      if (admin === 'other-key') throw new ReaderError('forbidden', 'this needs an admin key (ADMIN_KEYS)');
      throw new ReaderError('unauthenticated', 'an admin key is required (ADMIN_KEYS)', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const host = c.req.header('host') ?? new URL(c.req.url).host;
      if (!sameOrigin(c.req.header('origin'), host))
        throw new ReaderError('forbidden', "a request that changes state must come from this reader's own page", {
          reason: 'its Origin header must name this host',
        });
      if (!isJson(c.req.header('content-type')))
        throw new ReaderError('unsupported-media', 'send the body as application/json');
    }
    // The route that answers is the first one matched that is not a middleware.
    const route = matchedRoutes(c).find((r) => r.method !== 'ALL');
    if (route && PUBLIC_ROUTES.some((p) => p.method === route.method && p.path === route.path)) return next();
    if (c.req.path === '/console' || c.req.path.startsWith('/console/')) {
      if (access.sessionOf(c)) return next();
      throw new ReaderError('unauthenticated', access.refusal(c, 'console'));
    }
    const reader = access.readerOf(c);
    if (reader === 'read-key' || reader === 'session' || reader === 'local') return next();
    if (reader === 'write-key')
      throw new ReaderError('forbidden', 'a write key cannot read; use a read key (READ_KEYS)');
    throw new ReaderError(
      'unauthenticated',
      reader === 'unknown-key' ? 'unknown read key' : access.refusal(c, 'read'),
      {
        headers: { 'www-authenticate': 'Bearer' },
      },
    );
  };
}

/** Every body at most `maxSize` bytes (413 past it), whether its length is declared or not. */
export const bodiesUpTo = (maxSize: number): MiddlewareHandler =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ReaderError('too-large', `the body is over ${maxSize} bytes`);
    },
  });
