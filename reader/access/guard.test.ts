// The guard in-process (app.request, no server): every route of the reading app's route table — the console's
// included — refuses a request without credentials unless it is on PUBLIC_ROUTES, so a route added later is guarded
// the moment it exists; and a reader on loopback refuses other Host names, cross-site and non-JSON writes, and
// forwarded requests, and lets only a console-token session write. Every answer carries the security headers.
import type { Hono } from 'hono';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Catalog } from '../../shared/mod.ts';
import type { ClickHouse } from '../../shared/clickhouse/mod.ts';
import { readerApp } from '../app.ts';
import { OverviewSampler } from '../console/mod.ts';
import { PUBLIC_ROUTES } from './guard.ts';

/** A ClickHouse that must never be asked for rows: a refused request never reaches it. */
const clickhouse = {
  queryParameters: true,
  version: '26.7',
  client: {
    ping: async () => ({ success: true }),
    query: () => {
      throw new Error('asked ClickHouse');
    },
  },
} as unknown as ClickHouse;
const catalog = () => ({ types: [], fallback: undefined, find: () => undefined, version: 1 }) as unknown as Catalog;

const appWith = (opts: { readKeys?: string[]; token?: string; host?: string } = {}) =>
  readerApp({
    clickhouse,
    catalog,
    readKeys: opts.readKeys ?? [],
    writeKeys: ['write-key-123456'],
    token: opts.token,
    host: opts.host,
    console: {
      sampler: new OverviewSampler([], () => undefined),
      nats: () => undefined,
      // Nothing listens there: a test event that got through would be a 502.
      collector: 'http://127.0.0.1:9',
      sources: [{ name: 'web', key: 'write-key-123456' }],
    },
  });

/** A request a browser on this machine would send: same-origin, JSON for writes. */
function request(app: Hono, method: string, path: string, headers: Record<string, string> = {}) {
  const write = method !== 'GET' && method !== 'HEAD';
  return app.request(path, {
    method,
    headers: { ...(write ? { origin: 'http://localhost', 'content-type': 'application/json' } : {}), ...headers },
    ...(write ? { body: '{}' } : {}),
  });
}

const isPublic = (method: string, path: string) => PUBLIC_ROUTES.some((p) => p.method === method && p.path === path);
/** A concrete path for a route pattern. */
const concrete = (pattern: string) => pattern.replace(/:[^/]+/g, 'x').replace(/\*/g, 'x');

const guarded = [
  ['keys and a console token', appWith({ readKeys: ['read-key-123456'], token: 'console-token-1234' })],
  ['a console token only', appWith({ token: 'console-token-1234' })],
  ['off loopback, nothing configured', appWith({ host: '0.0.0.0' })],
] as const;

test("every route not on the public list refuses a request without credentials (walks the app's routes)", async () => {
  for (const [name, app] of guarded) {
    const routes = app.routes.map((r) => [r.method === 'ALL' ? 'GET' : r.method, r.path] as const);
    assert.ok(routes.length > 20, `${name}: ${routes.length} routes`);
    // The list names only routes that exist.
    for (const p of PUBLIC_ROUTES)
      assert.ok(
        routes.some(([m, path]) => m === p.method && path === p.path),
        `${p.method} ${p.path}`,
      );
    for (const [method, path] of routes) {
      const res = await request(app, method, concrete(path));
      if (isPublic(method, path)) assert.is.not(res.status, 401, `${name}: ${method} ${path} is public`);
      // A console-token-only reader reads the reading API locally without a key (as without READ_KEYS).
      else if (name === 'a console token only' && !path.startsWith('/console')) continue;
      else assert.is(res.status, 401, `${name}: ${method} ${path}`);
    }
    for (const path of ['/events', '/v1/events', '/openapi.json', '/v1/reports/lag', '/console/api/catalog', '/nope']) {
      const status = (await request(app, 'GET', path)).status;
      if (name !== 'a console token only' || path.startsWith('/console')) assert.is(status, 401, `${name}: ${path}`);
    }
  }
});

test('a write key cannot read, on every reading route', async () => {
  const [, app] = guarded[0];
  for (const path of ['/events', '/v1/events', '/openapi.json', '/v1/reports/daily']) {
    const res = await request(app, 'GET', path, { authorization: 'Bearer write-key-123456' });
    assert.is(res.status, 403, path);
  }
});

test('on loopback, open: another Host, a forwarded request, a cross-site or non-JSON write are refused', async () => {
  const app = appWith();
  assert.is((await request(app, 'GET', '/console/api/catalog')).status, 200, 'open to the machine itself');
  for (const host of ['evil.example', 'evil.example:8082', '127.0.0.1.nip.io'])
    for (const path of ['/console/api/catalog', '/v1/events', '/healthz']) {
      const res = await request(app, 'GET', path, { host });
      assert.is(res.status, 403, `${host} ${path}`);
    }
  for (const header of ['x-forwarded-for', 'forwarded', 'x-forwarded-host', 'x-real-ip']) {
    assert.is((await request(app, 'GET', '/console/api/catalog', { [header]: 'x' })).status, 401, header);
    assert.is((await request(app, 'GET', '/v1/events', { [header]: 'x' })).status, 401, header);
  }
  const redrive = '/console/api/dead-letters/redrive';
  assert.is((await request(app, 'POST', redrive, { origin: '' })).status, 403, 'no Origin');
  assert.is((await request(app, 'POST', redrive, { origin: 'http://evil.example' })).status, 403);
  assert.is((await request(app, 'POST', redrive, { origin: 'null' })).status, 403);
  assert.is((await request(app, 'POST', redrive, { 'content-type': 'text/plain' })).status, 415);
  // Through the guard: the route itself answers (this reader has no NATS).
  assert.is((await request(app, 'POST', redrive)).status, 503);
});

test('only a session signed in with the console token writes; sessions end with sign-out', async () => {
  const app = appWith({ readKeys: ['read-key-123456'], token: 'console-token-1234' });
  const signIn = async (secret: string) => {
    const res = await app.request('/console/api/sign-in', {
      method: 'POST',
      headers: { origin: 'http://localhost', 'content-type': 'application/json' },
      body: JSON.stringify({ secret }),
    });
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const reader = await signIn('read-key-123456');
  const admin = await signIn('console-token-1234');
  for (const path of ['/console/api/test-event', '/console/api/dead-letters/redrive']) {
    assert.is((await request(app, 'POST', path, { cookie: reader })).status, 403, path);
  }
  // The token's session passes: the test event goes to the collector (nothing there: 502), or the body is checked.
  const sent = await app.request('/console/api/test-event', {
    method: 'POST',
    headers: { origin: 'http://localhost', 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({ type: 'none', payload: {} }),
  });
  assert.is(sent.status, 400);
  assert.is((await request(app, 'GET', '/v1/events', { cookie: reader })).status, 400, 'a session reads');
  const out = await request(app, 'POST', '/console/api/sign-out', { cookie: reader });
  assert.match(out.headers.get('set-cookie')!, /Max-Age=0/);
  assert.is((await request(app, 'GET', '/v1/events', { cookie: reader })).status, 401, 'signed out');
});

test('the session cookie: HttpOnly, SameSite=Strict, expiring; Secure over https and off loopback', async () => {
  const app = appWith({ token: 'console-token-1234', host: '127.0.0.1' });
  const signIn = (url: string, on = app) =>
    on.request(url, {
      method: 'POST',
      headers: { origin: new URL(url).origin, 'content-type': 'application/json' },
      body: JSON.stringify({ secret: 'console-token-1234' }),
    });
  // Behind a TLS-terminating proxy the reader sees http: off loopback the cookie is Secure all the same.
  const deployed = appWith({ token: 'console-token-1234', host: '0.0.0.0' });
  const proxied = (await signIn('http://reader.example/console/api/sign-in', deployed)).headers.get('set-cookie')!;
  assert.match(proxied, /; Secure/);
  const plain = (await signIn('http://localhost/console/api/sign-in')).headers.get('set-cookie')!;
  assert.match(plain, /HttpOnly/);
  assert.match(plain, /SameSite=Strict/);
  assert.match(plain, /Max-Age=43200/);
  assert.not.match(plain, /Secure/);
  const secure = (await signIn('https://localhost/console/api/sign-in')).headers.get('set-cookie')!;
  assert.match(secure, /; Secure/);
});

test('a session expires', async () => {
  const app = appWith({ token: 'console-token-1234' });
  const res = await app.request('/console/api/sign-in', {
    method: 'POST',
    headers: { origin: 'http://localhost', 'content-type': 'application/json' },
    body: JSON.stringify({ secret: 'console-token-1234' }),
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  assert.is((await request(app, 'GET', '/console/api/catalog', { cookie })).status, 200);
  const now = Date.now;
  Date.now = () => now() + 12 * 3600 * 1000 + 1;
  try {
    assert.is((await request(app, 'GET', '/console/api/catalog', { cookie })).status, 401);
  } finally {
    Date.now = now;
  }
});

test('every answer carries the security headers; the pages load only their own files', async () => {
  const app = appWith({ token: 'console-token-1234' });
  for (const path of ['/console/', '/console/docs', '/v1/events', '/healthz']) {
    const res = await request(app, 'GET', path);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.match(csp, /script-src 'self'(;|$)/, path);
    assert.not.match(csp, /unsafe/, path);
    assert.is(res.headers.get('x-frame-options'), 'DENY');
    assert.is(res.headers.get('x-content-type-options'), 'nosniff');
    if (path.startsWith('/console')) {
      const html = await res.text();
      assert.not.match(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${path}: an inline script`);
      assert.not.match(html, /\sstyle=|<style/, `${path}: an inline style`);
    }
  }
});

test('bodies are bounded: sign-in and every other write', async () => {
  const app = appWith({ token: 'console-token-1234' });
  const big = JSON.stringify({ secret: 'x'.repeat(10_000) });
  const res = await app.request('/console/api/sign-in', {
    method: 'POST',
    headers: { origin: 'http://localhost', 'content-type': 'application/json' },
    body: big,
  });
  assert.is(res.status, 413);
  const huge = await request(app, 'POST', '/console/api/test-event', { 'content-length': String(10 * 1024 * 1024) });
  assert.ok([401, 413].includes(huge.status));
});

test.run();
