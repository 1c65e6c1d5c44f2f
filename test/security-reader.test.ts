// Attacks on the reading process and on the sink's ad-hoc queries, sent as an attacker would — raw HTTP to a real
// reader and a real sink on loopback, the pipeline running on the embedded engine — each asserting the refusal and
// that nothing was done: no rows read, no dead letter redriven, no test event sent, no table created. Issue #22:
// unguarded routes, DNS rebinding, cross-site writes, forwarded requests taken as local, read-key sessions writing,
// sign-in guessing, unbounded bodies, queries and tails without caps, an unpaged dead-letter listing, and POST /query
// taking any SQL from a web page. A last suite checks that ClickHouse 18.16 takes the limits every read carries.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { limitedQuery, startReader, type RunningReader } from '../reader/mod.ts';
import { connectClickHouse, type ClickHouse } from '../shared/clickhouse/mod.ts';
import { keyDigestText } from '../shared/mod.ts';
import { askRunningSink } from '../sink/mod.ts';
import { DLQ_STREAM } from '../streams/mod.ts';
import {
  countReaches,
  postJson,
  rows,
  startPipeline,
  startServices,
  waitFor,
  waitUntilAcked,
  type Pipeline,
  type Services,
} from './support/mod.ts';

interface Ctx {
  services: Services;
  p: Pipeline;
  nc: NatsConnection;
}
const test = suite<Ctx>('security: the reader and ad-hoc queries (embedded)');

const TOKEN = 'console-token-1234';
const READ_KEY = 'read-key-12345678';
const WRITE_KEY = 'write-key-12345678';
const DT = '2024-06-01T10:00:00Z';

test.before(async (ctx) => {
  ctx.services = await startServices('embedded');
  ctx.p = await startPipeline(ctx.services, { SINK_MAX_DELIVER: '2' });
  ctx.nc = await connect({ servers: ctx.services.nats.url });
  assert.is(
    (await postJson(`${ctx.p.url}/v1/events`, { event_id: 'sec-row', dt: DT, event: 'e', user_id: 'u' })).status,
    202,
  );
  await countReaches(ctx.p.sink, "SELECT count() AS n FROM edge_events.events WHERE event_id = 'sec-row'", 1);
  // Three dead letters: item ids that are no numbers, which ClickHouse refuses (a producer bypassing the collector).
  for (const id of ['a', 'b', 'c']) {
    const letter = { event_id: `sec-${id}`, timestamp: '2024-01-02 03:04:05', user_id: 1, item_id: `sku-${id}` };
    await jetstream(ctx.nc).publish('events.cart_add', JSON.stringify({ ...letter, received_at: letter.timestamp }));
  }
  await waitUntilAcked(ctx.services.nats.url);
  await waitFor('three dead letters', async () => ((await deadLetters(ctx)) === 3 ? true : undefined), 20_000);
});
test.after(async (ctx) => {
  await ctx.nc?.close();
  await ctx.p?.stop();
  await ctx.services?.cleanup();
});

const deadLetters = async (ctx: Ctx) =>
  (await (await jetstreamManager(ctx.nc)).streams.info(DLQ_STREAM)).state.messages;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

/** Raw HTTP, as an attacker sends it: any Host, any Origin, a body declared or chunked. */
function send(
  port: number,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string; chunks?: string[] } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode!, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    for (const chunk of opts.chunks ?? []) req.write(chunk);
    req.end(opts.body);
  });
}

/** What the reader's own page sends: same origin, JSON. */
const fromPage = (port: number, extra: Record<string, string> = {}) => ({
  origin: `http://127.0.0.1:${port}`,
  'content-type': 'application/json',
  ...extra,
});

async function withReader(
  ctx: Ctx,
  env: Record<string, string>,
  run: (port: number) => Promise<void>,
  ch?: ClickHouse,
) {
  const reader: RunningReader = await startReader(ctx.services.config({ CONSOLE_COLLECTORS: ctx.p.url, ...env }), {
    clickhouse: ch ?? ctx.p.sink.clickhouse,
    catalog: ctx.p.sink.catalog,
    nats: ctx.nc,
  });
  try {
    await run(reader.port);
  } finally {
    await reader.stop();
  }
}

const signIn = async (port: number, secret: string) => {
  const res = await send(port, 'POST', '/console/api/sign-in', {
    headers: fromPage(port),
    body: JSON.stringify({ secret }),
  });
  return { ...res, cookie: ([res.headers['set-cookie']].flat()[0] ?? '').split(';')[0]! };
};

test('GET /events and every reading route need a read key; a digest-configured key works', async (ctx) => {
  const env = { READ_KEYS: `${keyDigestText(READ_KEY)},other-key-123456`, COLLECTOR_WRITE_KEYS: sources() };
  await withReader(ctx, env, async (port) => {
    for (const path of ['/events', '/v1/events', '/v1/reports/lag?from=2024-06-01&to=2024-06-01', '/openapi.json']) {
      const none = await send(port, 'GET', path);
      assert.is(none.status, 401, path);
      assert.not.match(none.text, /sec-row/);
      const write = await send(port, 'GET', path, { headers: { authorization: `Bearer ${WRITE_KEY}` } });
      assert.is(write.status, 403, path);
    }
    const digestAsKey = await send(port, 'GET', '/events', { headers: { 'x-read-key': keyDigestText(READ_KEY) } });
    assert.is(digestAsKey.status, 401, 'the digest is not the key');
    const read = await send(port, 'GET', '/events?limit=1000', { headers: { authorization: `Bearer ${READ_KEY}` } });
    assert.is(read.status, 200);
    assert.match(read.text, /sec-row/);
  });
});

test('off loopback with no READ_KEYS, reading and the console are shut', async (ctx) => {
  await withReader(ctx, { READER_HOST: '0.0.0.0' }, async (port) => {
    for (const path of ['/events', '/v1/events', '/console/api/catalog', '/console/api/dead-letters'])
      assert.is((await send(port, 'GET', path)).status, 401, path);
    assert.is((await send(port, 'GET', '/healthz')).status, 200);
  });
});

test('DNS rebinding: another Host is refused on loopback; nothing is read or redriven', async (ctx) => {
  await withReader(ctx, {}, async (port) => {
    const evil = `evil.example:${port}`;
    for (const path of ['/events', '/v1/events', '/console/api/dead-letters', '/console/api/catalog']) {
      const res = await send(port, 'GET', path, { headers: { host: evil } });
      assert.is(res.status, 403, path);
      assert.not.match(res.text, /sec-row|sku-/);
    }
    const redrive = await send(port, 'POST', '/console/api/dead-letters/redrive', {
      headers: { host: evil, origin: `http://${evil}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'cart_add' }),
    });
    assert.is(redrive.status, 403);
    assert.is(await deadLetters(ctx), 3);
    // The same request from the machine's own page reads: the refusals above were for the Host.
    assert.is((await send(port, 'GET', '/console/api/dead-letters')).status, 200);
  });
});

test("cross-site writes: another site's form or script cannot redrive or send a test event", async (ctx) => {
  await withReader(ctx, {}, async (port) => {
    const type = ctx.p.sink.catalog().fallback!.name;
    const event = (id: string) =>
      JSON.stringify({ type, payload: { event_id: id, dt: DT, event: 'csrf', user_id: 'x' } });
    const attempts: [string, Record<string, string>][] = [
      ['a form (text/plain) from another site', { origin: 'http://evil.example', 'content-type': 'text/plain' }],
      ['a form posted to a same-origin URL', { origin: `http://127.0.0.1:${port}`, 'content-type': 'text/plain' }],
      ['urlencoded', { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded' }],
      ['a script of another site', { origin: 'http://evil.example', 'content-type': 'application/json' }],
      ['another port of this machine', { origin: 'http://127.0.0.1:1', 'content-type': 'application/json' }],
      ['no Origin', { 'content-type': 'application/json' }],
      ['a sandboxed page', { origin: 'null', 'content-type': 'application/json' }],
    ];
    for (const [what, headers] of attempts) {
      const redrive = await send(port, 'POST', '/console/api/dead-letters/redrive', {
        headers,
        body: JSON.stringify({ type: 'cart_add' }),
      });
      assert.ok([403, 415].includes(redrive.status), `${what}: ${redrive.status}`);
      const sent = await send(port, 'POST', '/console/api/test-event', { headers, body: event('csrf-refused') });
      assert.ok([403, 415].includes(sent.status), `${what}: ${sent.status}`);
    }
    assert.is(await deadLetters(ctx), 3, 'nothing redriven');
    // The page itself sends one, which lands: the refused ones, sent before, never did.
    const own = await send(port, 'POST', '/console/api/test-event', { headers: fromPage(port), body: event('own') });
    assert.is(own.status, 200, own.text);
    await countReaches(ctx.p.sink, "SELECT count() AS n FROM edge_events.events WHERE event_id = 'own'", 1);
    const [refused] = await rows<{ n: string }>(
      ctx.p.sink,
      "SELECT count() AS n FROM edge_events.events WHERE event_id = 'csrf-refused'",
    );
    assert.is(Number(refused!.n), 0);
  });
});

test('a forwarded request is not local: an open console and open reading refuse it', async (ctx) => {
  await withReader(ctx, {}, async (port) => {
    for (const [name, value] of [
      ['x-forwarded-for', '203.0.113.7'],
      ['forwarded', 'for=203.0.113.7;proto=https'],
      ['x-forwarded-host', 'localhost'],
      ['x-real-ip', '203.0.113.7'],
    ]) {
      const headers = { [name!]: value! };
      assert.is((await send(port, 'GET', '/console/api/dead-letters', { headers })).status, 401, name);
      assert.is((await send(port, 'GET', '/v1/events', { headers })).status, 401, name);
      const redrive = await send(port, 'POST', '/console/api/dead-letters/redrive', {
        headers: fromPage(port, headers),
        body: JSON.stringify({ type: 'cart_add' }),
      });
      assert.is(redrive.status, 401, name);
    }
    assert.is(await deadLetters(ctx), 3);
  });
});

test('sessions: a read-key session cannot write; sign-out ends it; cookies HttpOnly, Strict, expiring', async (ctx) => {
  await withReader(ctx, { CONSOLE_TOKEN: TOKEN, READ_KEYS: READ_KEY }, async (port) => {
    const reader = await signIn(port, READ_KEY);
    assert.is(reader.status, 200);
    assert.equal(reader.json, { signed_in: true, can_write: false });
    const cookie = [reader.headers['set-cookie']].flat()[0]!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Max-Age=\d+/);
    const type = ctx.p.sink.catalog().fallback!.name;
    const sent = await send(port, 'POST', '/console/api/test-event', {
      headers: fromPage(port, { cookie: reader.cookie }),
      body: JSON.stringify({ type, payload: { event_id: 'by-read-key', dt: DT, event: 'x', user_id: 'x' } }),
    });
    assert.is(sent.status, 403);
    const redrive = await send(port, 'POST', '/console/api/dead-letters/redrive', {
      headers: fromPage(port, { cookie: reader.cookie }),
      body: JSON.stringify({ type: 'cart_add' }),
    });
    assert.is(redrive.status, 403);
    assert.is(await deadLetters(ctx), 3);
    // The console token's session sends with the server's write key: its event lands, the read key's never did.
    const admin = await signIn(port, TOKEN);
    const own = await send(port, 'POST', '/console/api/test-event', {
      headers: fromPage(port, { cookie: admin.cookie }),
      body: JSON.stringify({ type, payload: { event_id: 'by-token', dt: DT, event: 'x', user_id: 'x' } }),
    });
    assert.is(own.status, 200, own.text);
    assert.is(own.json.status, 202, JSON.stringify(own.json));
    await countReaches(ctx.p.sink, "SELECT count() AS n FROM edge_events.events WHERE event_id = 'by-token'", 1);
    const [byReadKey] = await rows<{ n: string }>(
      ctx.p.sink,
      "SELECT count() AS n FROM edge_events.events WHERE event_id = 'by-read-key'",
    );
    assert.is(Number(byReadKey!.n), 0);
    // Signed out: the cookie no longer reads.
    const read = () => send(port, 'GET', '/console/api/catalog', { headers: { cookie: reader.cookie } });
    assert.is((await read()).status, 200);
    const out = await send(port, 'POST', '/console/api/sign-out', {
      headers: fromPage(port, { cookie: reader.cookie }),
    });
    assert.match([out.headers['set-cookie']].flat()[0]!, /Max-Age=0/);
    assert.is((await read()).status, 401);
  });
});

test('sign-in: guessing is throttled (429 with Retry-After, even for the right token); bodies bounded', async (ctx) => {
  await withReader(ctx, { CONSOLE_TOKEN: TOKEN }, async (port) => {
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn(port, `guess-${i}-xxxxxxxx`)).status);
    assert.equal(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.equal(statuses.slice(5), [429, 429, 429]);
    const right = await signIn(port, TOKEN);
    assert.is(right.status, 429);
    assert.ok(Number(right.headers['retry-after']) >= 1);
    assert.is(right.cookie, '', 'no session while throttled');
    const big = JSON.stringify({ secret: 'x'.repeat(100_000) });
    const declared = await send(port, 'POST', '/console/api/sign-in', { headers: fromPage(port), body: big });
    assert.is(declared.status, 413);
    const chunked = await send(port, 'POST', '/console/api/sign-in', {
      headers: fromPage(port),
      chunks: [big.slice(0, 50_000), big.slice(50_000)],
    });
    assert.is(chunked.status, 413);
    const admin = await send(port, 'POST', '/console/api/test-event', {
      headers: fromPage(port),
      chunks: Array.from({ length: 20 }, () => 'x'.repeat(10_000)),
    });
    assert.ok([401, 413].includes(admin.status), String(admin.status));
  });
});

test("the pages: a CSP with frame-ancestors 'none', only the reader's own scripts", async (ctx) => {
  await withReader(ctx, { CONSOLE_TOKEN: TOKEN }, async (port) => {
    for (const path of ['/console/', '/console/docs', '/console/api/session', '/v1/events']) {
      const res = await send(port, 'GET', path);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.not.match(csp, /unsafe-inline|unsafe-eval/, path);
      assert.is(res.headers['x-frame-options'], 'DENY');
      if (path.startsWith('/console/') && !path.includes('api'))
        assert.not.match(res.text, /<script(?![^>]*\bsrc=)[^>]*>/, `${path}: an inline script`);
    }
  });
});

test('live tails: past READER_MAX_TAILS, 429 with Retry-After; a closed tail frees its slot', async (ctx) => {
  await withReader(ctx, { READER_MAX_TAILS: '1' }, async (port) => {
    const open = async () => {
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/console/api/tail`, { signal: abort.signal });
      if (res.ok) {
        const reader = res.body!.getReader();
        assert.match(new TextDecoder().decode((await reader.read()).value), /event: ready/);
      }
      return { res, close: () => abort.abort() };
    };
    const first = await open();
    assert.is(first.res.status, 200);
    const second = await open();
    assert.is(second.res.status, 429);
    assert.ok(Number(second.res.headers.get('retry-after')) >= 1);
    first.close();
    const third = await waitFor(
      'the slot freed',
      async () => {
        const t = await open();
        return t.res.status === 200 ? t : undefined;
      },
      10_000,
    );
    third.close();
  });
});

test('reads: past READER_MAX_QUERIES 429; each read carries its limits; a costly one is stopped', async (ctx) => {
  // A ClickHouse whose reads wait for a latch, and whose query texts are kept.
  const real = ctx.p.sink.clickhouse;
  let open!: () => void;
  const latch = new Promise<void>((resolve) => (open = resolve));
  const sent: string[] = [];
  const client = new Proxy(real.client, {
    get(target, key) {
      if (key !== 'query') return Reflect.get(target, key, target);
      return async (params: { query: string }) => {
        sent.push(params.query);
        await latch;
        return target.query(params as never);
      };
    },
  });
  const held = { ...real, client } as ClickHouse;
  const env = {
    READER_MAX_QUERIES: '1',
    READER_QUERY_TIMEOUT_SECONDS: '7',
    READER_QUERY_MAX_MEMORY_BYTES: '500000000',
  };
  await withReader(
    ctx,
    env,
    async (port) => {
      const first = send(port, 'GET', '/v1/events?limit=1');
      await waitFor('the first read to reach ClickHouse', async () => (sent.length === 1 ? true : undefined), 5000);
      const second = await send(port, 'GET', '/v1/reports/lag?from=2024-06-01&to=2024-06-01');
      assert.is(second.status, 429);
      assert.is(second.headers['retry-after'], '1');
      open();
      assert.is((await first).status, 200);
      assert.is((await send(port, 'GET', '/v1/reports/lag?from=2024-06-01&to=2024-06-01')).status, 200);
      assert.ok(sent.length >= 2);
      for (const q of sent)
        assert.match(q, /\nSETTINGS readonly = 2, max_execution_time = 7, max_memory_usage = 500000000$/);
    },
    held,
  );
  // A read over its memory limit is stopped by the engine (503 naming the limit) ...
  await withReader(ctx, { READER_QUERY_MAX_MEMORY_BYTES: '1000' }, async (port) => {
    const res = await send(port, 'GET', '/v1/events?limit=1000');
    assert.is(res.status, 503, res.text);
    assert.match(res.json.reason, /memory \(READER_QUERY_MAX_MEMORY_BYTES\)/);
  });
  // ... and none of it stays on the session the sink shares: it still writes, with no limit of the reader's.
  const [session] = await rows<{ readonly: string; memory: string }>(
    ctx.p.sink,
    "SELECT getSetting('readonly') AS readonly, toString(getSetting('max_memory_usage')) AS memory",
  );
  assert.equal([Number(session!.readonly), session!.memory === '1000'], [0, false]);
  assert.is(
    (await postJson(`${ctx.p.url}/v1/events`, { event_id: 'after-limits', dt: DT, event: 'e', user_id: 'u' })).status,
    202,
  );
  assert.is(
    await countReaches(ctx.p.sink, "SELECT count() AS n FROM edge_events.events WHERE event_id = 'after-limits'", 1),
    1,
  );
});

test('the dead-letter listing is paged, and a page reads only its own letters', async (ctx) => {
  await withReader(ctx, {}, async (port) => {
    const page1 = await send(port, 'GET', '/console/api/dead-letters?limit=2');
    assert.is(page1.status, 200, page1.text);
    assert.equal([page1.json.letters.length, page1.json.total], [2, 3]);
    assert.is(page1.json.next, page1.json.letters[1].seq);
    const page2 = await send(port, 'GET', `/console/api/dead-letters?limit=2&after=${page1.json.next}`);
    assert.equal([page2.json.letters.length, page2.json.next], [1, null]);
    const seqs = [...page1.json.letters, ...page2.json.letters].map((l: { seq: number }) => l.seq);
    assert.is(new Set(seqs).size, 3);
    for (const bad of ['limit=100000', 'limit=0', 'after=-1', 'after=x'])
      assert.is((await send(port, 'GET', `/console/api/dead-letters?${bad}`)).status, 400, bad);
  });
});

test("POST /query: the sink's token, no web page: a form, a script or a guess runs nothing", async (ctx) => {
  const { sink } = ctx.p;
  const port = sink.healthPort;
  const dataDir = join(ctx.services.dir, 'data');
  const file = statSync(join(dataDir, 'query-token'));
  assert.is(file.mode & 0o777, 0o600);
  const token = readFileSync(join(dataDir, 'query-token'), 'utf8');
  const create = 'CREATE TABLE edge_events.pwned (x UInt8) ENGINE = Memory';
  const attempts: [string, Record<string, string>][] = [
    ['no token', {}],
    ['a wrong token', { 'x-query-token': 'x'.repeat(token.length) }],
    ['the token from a web page', { 'x-query-token': token, origin: 'http://evil.example' }],
    ['a form of a web page', { 'content-type': 'text/plain', origin: 'http://evil.example' }],
    ['a rebound name', { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }],
  ];
  for (const [what, headers] of attempts) {
    const res = await send(port, 'POST', '/query', { headers, body: create });
    assert.ok([401, 403].includes(res.status), `${what}: ${res.status}`);
    assert.not.match(res.text, new RegExp(token), 'the token is never answered');
  }
  const [exists] = await rows<{ n: number }>(ctx.p.sink, 'EXISTS TABLE edge_events.pwned');
  assert.is(Number(Object.values(exists!)[0]), 0, 'no table was created');
  // npm run query reads the token and is answered by the sink.
  const answer = await askRunningSink(
    port,
    dataDir,
    "SELECT count() FROM edge_events.events WHERE event_id = 'sec-row'",
  );
  assert.is(answer?.ok, true);
  assert.match(answer!.text, /\b1\b/);
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, SINK_PORT: String(port), LOG_LEVEL: 'silent' };
  delete env.CLICKHOUSE_URL;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'cli/query.ts',
      "SELECT event_id FROM edge_events.events WHERE event_id = 'sec-row' FORMAT TSV",
    ],
    { env },
  );
  assert.is(stdout, 'sec-row\n');
});

test.run();

// The old server takes the same clause: the reader never reads from it (no query parameters: 501), but the clause
// must not be what breaks a read on a server that has them.
const old = suite<{ services: Services; ch: ClickHouse }>('security: read limits on ClickHouse 18.16');
old.before(async (ctx) => {
  ctx.services = await startServices('server');
  ctx.ch = await connectClickHouse(ctx.services.config().clickhouse, ctx.services.dir);
});
old.after(async (ctx) => {
  await ctx.ch?.close();
  await ctx.services?.cleanup();
});
old('readonly, max_execution_time and max_memory_usage hold for the query, and only for it', async ({ ch }) => {
  const settings = async (query: string) => {
    const rs = await ch.client.query({ query, format: 'JSONEachRow' });
    const rows = await rs.json<{ name: string; value: string }>();
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  };
  const names =
    "SELECT name, value FROM system.settings WHERE name IN ('readonly', 'max_execution_time', " +
    "'max_memory_usage') ORDER BY name";
  const limited = await settings(limitedQuery(names, { seconds: 7, memoryBytes: 500_000_000 }));
  assert.equal(limited, { max_execution_time: '7', max_memory_usage: '500000000', readonly: '2' });
  const after = await settings(names);
  assert.is(after.readonly, '0');
  assert.is.not(after.max_execution_time, '7');
});
old.run();

function sources(): string {
  return JSON.stringify([{ name: 'web', key: WRITE_KEY }]);
}
