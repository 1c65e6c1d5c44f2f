// Attacks on the relays and on the secrets every process holds, against real processes and servers on loopback:
// - webhooks: a receiver verifies every request with the Standard Webhooks library (npm standardwebhooks) — each
//   verifies, a retried batch keeps its webhook-id, a tampered body or another secret does not verify; a receiver that
//   redirects to another server: that server never gets the events, the batch is dead-lettered after its attempts;
//   a plain-http webhook without allow_http, or a secret missing or malformed: the sink stops at start naming RELAYS
//   (and the variable, never its value) and creates nothing;
// - secrets: the sink and the collector as processes, and the reader in this one (its log to a stream), run with
//   keys, the console token, a NATS URL with a password, a ClickHouse URL and password, a webhook secret and an S3
//   secret in their configuration, through start-up (waiting for ClickHouse and NATS), failures (a failing webhook,
//   ClickHouse killed, wrong keys) and a stop: no secret in any log line, metrics page, exported span or response body.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startReader, type RunningReader } from '../reader/mod.ts';
import { loadConfig } from '../shared/config/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import { EVENTS_STREAM, readLetters, relayConsumer } from '../streams/mod.ts';
import { buildBundles, bundleOf } from '../tools/build.ts';
import {
  applyStreams,
  freePort,
  postJson,
  processEnv,
  spawnService,
  startClickHouseServer,
  startNatsServer,
  startPipeline,
  startServices,
  waitFor,
  type ClickHouseServer,
  type NatsServer,
  type Pipeline,
  type ServiceProcess,
  type Services,
} from './support/mod.ts';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
/** An HTTP server on 127.0.0.1 handing each request's whole body to `handler`. */
async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;
const ts = '2024-01-02T03:04:05Z';

// ---------------------------------------------------------------------------------------------------------------
interface Request {
  headers: Record<string, string>;
  body: string;
  verified: boolean;
  status: number;
}
interface WebhookCtx {
  services: Services;
  p: Pipeline;
  secret: string;
  servers: Server[];
  signed: Request[];
  redirected: number;
  stolen: string[];
}
const webhooks = suite<WebhookCtx>('webhooks');

webhooks.before(async (ctx) => {
  ctx.services = await startServices('server');
  ctx.secret = whsec();
  ctx.signed = [];
  ctx.stolen = [];
  ctx.redirected = 0;
  // The receiver checks each request as the README tells receivers to; its first answer is a 503, so the first
  // batch is sent twice.
  const receiver = await listen((req, body, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    let verified = true;
    try {
      new Webhook(ctx.secret).verify(body, headers, { jsonParse: false });
    } catch {
      verified = false;
    }
    const status = ctx.signed.length === 0 ? 503 : verified ? 200 : 401;
    ctx.signed.push({ headers, body, verified, status });
    res.writeHead(status, status === 503 ? { 'retry-after': '1' } : {}).end();
  });
  // An attacker's server, and a receiver that sends its callers there.
  const elsewhere = await listen((_req, body, res) => (ctx.stolen.push(body), res.writeHead(200).end()));
  const redirector = await listen((_req, _body, res) => {
    ctx.redirected++;
    res.writeHead(307, { location: `${elsewhere.url}/collect` }).end();
  });
  ctx.servers = [receiver.server, elsewhere.server, redirector.server];
  const local = { kind: 'webhook', allow_http: true, secret_env: 'HOOK_SECRET' };
  ctx.p = await startPipeline(ctx.services, {
    SINK_RETRY_BASE_MS: '100',
    HOOK_SECRET: ctx.secret,
    RELAYS: JSON.stringify([
      { name: 'signed', url: `${receiver.url}/in`, types: ['PageVisit', 'CartAdd'], ...local },
      { name: 'moved', url: `${redirector.url}/in`, types: ['Ordering'], max_attempts: 2, ...local },
    ]),
  });
});
webhooks.after(async (ctx) => {
  await ctx.p?.stop();
  for (const s of ctx.servers ?? []) s.close();
  await ctx.services?.cleanup();
});

webhooks(
  'every request is signed: the receiver verifies each, a retry keeps its id, tampering is caught',
  async (ctx) => {
    const events = [
      { event: 'PageVisit', event_id: 'pv-1', timestamp: ts, user_id: 1, page_id: 1 },
      { event: 'PageVisit', event_id: 'pv-2', timestamp: ts, user_id: 1, page_id: 2 },
      { event: 'CartAdd', event_id: 'ca-1', timestamp: ts, user_id: 1, item_id: 1 },
      { event: 'Ordering', event_id: 'or-1', timestamp: ts, user_id: 1, order_id: 1 },
    ];
    assert.is((await postJson(`${ctx.p.url}/v1/events`, events)).status, 202);
    await waitFor(
      'the receiver to take pv-1, pv-2 and ca-1',
      async () => {
        const ids = ctx.signed.filter((r) => r.status === 200).flatMap((r) => r.body.match(/"(pv|ca)-\d"/g) ?? []);
        return new Set(ids).size >= 3 ? true : undefined;
      },
      20_000,
    );
    assert.ok(
      ctx.signed.every((r) => r.verified),
      'every request verifies',
    );
    for (const r of ctx.signed) {
      assert.match(r.headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.is(r.headers['idempotency-key'], r.headers['webhook-id'], 'the idempotency key is the webhook-id');
    }
    const [first, retry] = ctx.signed;
    assert.is(first!.status, 503);
    assert.is(retry!.headers['webhook-id'], first!.headers['webhook-id'], 'a retried batch keeps its webhook-id');
    assert.is(retry!.body, first!.body);
    assert.ok(Number(retry!.headers['webhook-timestamp']) > Number(first!.headers['webhook-timestamp']));

    // What an attacker in the middle could try: another body, another id, an old request again, another secret.
    const verify = (body: string, headers: Record<string, string>, secret = ctx.secret) => {
      try {
        new Webhook(secret).verify(body, headers, { jsonParse: false });
        return 'verified';
      } catch (err) {
        return (err as Error).message;
      }
    };
    const r = retry!;
    assert.is(verify(r.body, r.headers), 'verified');
    assert.is(verify(r.body.replace(/"user_id":1/, '"user_id":2'), r.headers), 'No matching signature found');
    assert.is(verify(r.body, { ...r.headers, 'webhook-id': 'signed:EVENTS:1-9' }), 'No matching signature found');
    assert.is(
      verify(r.body, { ...r.headers, 'webhook-timestamp': String(Date.now() / 1000 - 3600) }),
      'Message timestamp too old',
    );
    assert.is(verify(r.body, r.headers, whsec()), 'No matching signature found');
    const { 'webhook-signature': _, ...unsigned } = r.headers;
    assert.is(verify(r.body, unsigned), 'Missing required headers');
  },
);

webhooks('a redirect is not followed: the other server gets nothing, the batch is a dead letter', async (ctx) => {
  const nc = await connect({ servers: ctx.services.nats.url });
  try {
    const letter = await waitFor(
      'the redirected batch as a dead letter',
      async () => {
        for await (const l of readLetters(nc)) if (l.subject === 'dlq.relay.moved.ordering') return l;
        return undefined;
      },
      20_000,
    );
    assert.is(letter.by, 'relay:moved');
    assert.match(
      letter.reason,
      /gave up after 2 attempts: webhook moved answered 307, a redirect \(not followed\) to http:\/\/127\.0\.0\.1:\d+$/,
    );
    assert.is(JSON.parse(new TextDecoder().decode(letter.data)).event_id, 'or-1');
    assert.is(ctx.redirected, 2, 'asked twice (max_attempts), never more');
    assert.equal(ctx.stolen, [], 'the server it was sent to got nothing');
  } finally {
    await nc.close();
  }
});

webhooks(
  'a plain-http URL without allow_http, or a missing or malformed secret, stops the sink at start',
  async (ctx) => {
    await buildBundles();
    const base = await processEnv(ctx.services);
    const secretValue = 'a-password-not-a-whsec-secret';
    const start = (relay: object, env: Record<string, string> = {}) => {
      const run = spawnSync(process.execPath, [bundleOf('sink/main.ts')], {
        env: { ...process.env, ...base, RELAYS: JSON.stringify([relay]), ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { code: run.status, output: `${run.stdout}${run.stderr}` };
    };
    const hook = { kind: 'webhook', url: 'https://hook.example/in', secret_env: 'HOOK_SECRET' };
    const cases: [relay: object, env: Record<string, string>, expected: RegExp][] = [
      [
        { ...hook, name: 'plain', url: 'http://hook.example/in' },
        { HOOK_SECRET: whsec() },
        /RELAYS=.* at 0\.url: expected https \(or set "allow_http": true\)/,
      ],
      [
        { ...hook, name: 'unset', secret_env: 'NO_SUCH_SECRET' },
        {},
        /RELAYS at 0\.secret_env \(relay unset\): NO_SUCH_/,
      ],
      [
        { ...hook, name: 'malformed' },
        { HOOK_SECRET: secretValue },
        /RELAYS at 0\.secret_env \(relay malformed\): HOOK_SECRET \(<redacted, 29 characters>\) must hold whsec_/,
      ],
    ];
    for (const [relay, env, expected] of cases) {
      const { code, output } = start(relay, env);
      assert.is(code, 2, output);
      assert.match(output, expected);
      assert.not.ok(output.includes(secretValue), output);
    }
    // Nothing was created: no relay consumer, no catalog applied by these sinks.
    const nc = await connect({ servers: ctx.services.nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      for (const name of ['plain', 'unset', 'malformed'])
        assert.is(
          await jsm.consumers.info(EVENTS_STREAM, relayConsumer(name)).then(
            () => 'exists',
            () => 'none',
          ),
          'none',
        );
    } finally {
      await nc.close();
    }
  },
);

webhooks.run();

// ---------------------------------------------------------------------------------------------------------------
interface SecretsCtx {
  dir: string;
  nats?: NatsServer;
  clickhouse?: ClickHouseServer;
  sink?: ServiceProcess;
  collector?: ServiceProcess;
  reader?: RunningReader;
  servers: Server[];
}
const secrets = suite<SecretsCtx>('secrets');

secrets.before((ctx) => {
  // This suite starts its servers itself, late and with passwords.
  ctx.dir = mkdtempSync(join(tmpdir(), 'edge-events-test-'));
  ctx.servers = [];
});
secrets.after(async (ctx) => {
  await ctx.reader?.stop().catch(() => {});
  await ctx.collector?.kill().catch(() => {});
  await ctx.sink?.kill().catch(() => {});
  await ctx.clickhouse?.stop().catch(() => {});
  await ctx.nats?.stop().catch(() => {});
  for (const s of ctx.servers) s.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

secrets('no secret in a log line, a metrics page, a span or a response, from start to stop', async (ctx) => {
  const secret = (what: string) => `${what}${randomBytes(12).toString('hex')}`;
  const writeKey = secret('writekey');
  const readKey = secret('readkey');
  const consoleToken = secret('consoletoken');
  const natsPassword = secret('natspass');
  const chPassword = secret('chpass');
  const awsSecret = secret('awssecret');
  const hookSecret = whsec();
  const SECRETS: Record<string, string> = {
    writeKey,
    readKey,
    consoleToken,
    natsPassword,
    chPassword,
    awsSecret,
    hookSecret,
    hookKey: hookSecret.slice('whsec_'.length),
    chBasicAuth: btoa(`default:${chPassword}`),
  };

  const otlp: string[] = [];
  const receiverOtlp = await listen((_req, body, res) => (otlp.push(body), res.writeHead(200).end('{}')));
  let hookCalls = 0;
  const failingHook = await listen((_req, _body, res) => (hookCalls++, res.writeHead(500).end()));
  ctx.servers.push(receiverOtlp.server, failingHook.server);

  const natsPort = await freePort();
  const chPort = await freePort();
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    SINK_PORT: String(await freePort()),
    DATA_DIR: join(ctx.dir, 'data'),
    NATS_URL: `nats://edge:${natsPassword}@127.0.0.1:${natsPort}`,
    CLICKHOUSE_URL: `http://default:${chPassword}@127.0.0.1:${chPort}`,
    CLICKHOUSE_PASSWORD: chPassword,
    COLLECTOR_WRITE_KEYS: JSON.stringify([{ name: 'web', key: writeKey }]),
    READ_KEYS: readKey,
    CONSOLE_TOKEN: consoleToken,
    AWS_ACCESS_KEY_ID: 'AKIAEDGEEVENTSTEST',
    AWS_SECRET_ACCESS_KEY: awsSecret,
    HOOK_SECRET: hookSecret,
    RELAYS: JSON.stringify([
      { name: 'hook', kind: 'webhook', url: `${failingHook.url}/in`, allow_http: true, secret_env: 'HOOK_SECRET' },
    ]),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiverOtlp.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    SINK_RETRY_BASE_MS: '200',
    SINK_RETRY_MAX_MS: '1000',
    LOG_LEVEL: 'trace',
  };
  const responses: string[] = [];

  // Start-up: the sink comes first and waits for ClickHouse, then for NATS (each wait is logged).
  const sink = (ctx.sink = await spawnService('sink', env, ctx.dir, { readyPath: '/healthz' }));
  await waitFor(
    'the sink to wait for ClickHouse',
    async () => sink.log().includes('ClickHouse unreachable') || undefined,
  );
  // ClickHouse whose user `default` has a password.
  const users = join(ctx.dir, 'users.xml');
  const stock = readFileSync('/etc/clickhouse-server/users.xml', 'utf8');
  writeFileSync(users, stock.replace('<password></password>', `<password>${chPassword}</password>`));
  ctx.clickhouse = await startClickHouseServer({
    dir: join(ctx.dir, 'clickhouse'),
    port: chPort,
    extraConfig: `<users_config>${users}</users_config>`,
  });
  const unauthenticated = await fetch(`${ctx.clickhouse.url}/?query=SELECT%201`);
  assert.is(unauthenticated.ok, false, 'ClickHouse wants the password');
  await waitFor('the sink to wait for NATS', async () => sink.log().includes('NATS unreachable') || undefined, 30_000);
  ctx.nats = await startNatsServer({ dir: join(ctx.dir, 'nats'), port: natsPort });
  await applyStreams(loadConfig(env));
  await waitFor(
    'the sink ready',
    async () => (await fetch(`http://127.0.0.1:${env.SINK_PORT}/readyz`)).ok || undefined,
    30_000,
  );
  const collector = (ctx.collector = await spawnService('collector', env, ctx.dir));
  const collectorUrl = `http://127.0.0.1:${env.PORT}`;

  // Events with the write key; refusals for a wrong one.
  const send = async (key: string, id: string) => {
    const res = await fetch(`${collectorUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-write-key': key },
      body: JSON.stringify([{ event: 'PageVisit', event_id: id, timestamp: ts, user_id: 1, page_id: 1 }]),
    });
    responses.push(await res.text());
    return res.status;
  };
  assert.is(await send(writeKey, 'pv-1'), 202);
  assert.is(await send(`${writeKey}x`, 'pv-x'), 401);

  // Failures: the webhook answers 500 (retried, then dead-lettered), and ClickHouse dies under the sink.
  await waitFor('the relay to retry', async () => (hookCalls >= 2 ? true : undefined), 20_000);
  await ctx.clickhouse.kill();
  assert.is(await send(writeKey, 'pv-2'), 202);
  await waitFor(
    'the sink to retry an insert',
    async () => (/"msg":"will retry"(?![^\n]*"relay")/.test(sink.log()) ? true : undefined),
    30_000,
  );
  await ctx.clickhouse.restart();
  const count = async () => {
    const res = await fetch(
      `${ctx.clickhouse!.url}/?query=${encodeURIComponent('SELECT count() FROM edge_events.page_visit')}`,
      {
        headers: { authorization: `Basic ${SECRETS.chBasicAuth}` },
      },
    );
    return Number((await res.text()).trim());
  };
  await waitFor('both page visits in ClickHouse', async () => ((await count()) === 2 ? true : undefined), 30_000);

  // The reader in this process, its log to a stream: wrong keys refused, the right ones taken, then stopped.
  const readerLines: string[] = [];
  const reader = (ctx.reader = await startReader(loadConfig({ ...env, READER_PORT: '0' }), {
    log: createLogger('reader', 'trace', { write: (line: string) => void readerLines.push(line) }),
  }));
  const readerUrl = `http://127.0.0.1:${reader.port}`;
  const ask = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${readerUrl}${path}`, init);
    responses.push(await res.text());
    return res.status;
  };
  assert.is(await ask('/v1/events?limit=1'), 401);
  assert.is(await ask('/v1/events?limit=1', { headers: { authorization: `Bearer ${readKey}x` } }), 401);
  // Past the key check; ClickHouse 18.16 has no query parameters, so the reader says it cannot answer safely.
  assert.is(await ask('/v1/events?limit=1', { headers: { authorization: `Bearer ${readKey}` } }), 501);
  const signIn = (s: string) =>
    ask('/console/api/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: readerUrl },
      body: JSON.stringify({ secret: s }),
    });
  assert.is(await signIn(`${consoleToken}x`), 401);
  assert.is(await signIn(consoleToken), 200);
  await reader.stop();
  ctx.reader = undefined;

  const metrics = [
    await (await fetch(`http://127.0.0.1:${env.SINK_PORT}/metrics`)).text(),
    await (await fetch(`${collectorUrl}/metrics`)).text(),
  ];

  // Stop: both processes finish, flush their spans and exit 0.
  assert.is(await collector.terminate(), 0);
  assert.is(await sink.terminate(), 0);

  const sinkLog = sink.log();
  for (const step of ['ClickHouse unreachable', 'clickhouse reached', 'NATS unreachable', 'will retry', 'sink stopped'])
    assert.ok(sinkLog.includes(step), `the sink logged "${step}"`);
  assert.ok(sinkLog.includes('***@127.0.0.1'), 'URLs are shown, without their credentials');
  assert.ok(otlp.length > 0, 'spans were exported');
  assert.ok(readerLines.length > 0, 'the reader logged');
  const places: Record<string, string> = {
    'the sink log': sinkLog,
    'the collector log': collector.log(),
    "the reader's log": readerLines.join(''),
    'the metrics': metrics.join('\n'),
    'the exported spans': otlp.join('\n'),
    'the responses': responses.join('\n'),
  };
  for (const [where, text] of Object.entries(places))
    for (const [name, value] of Object.entries(SECRETS))
      for (const form of new Set([value, encodeURIComponent(value)]))
        assert.not.ok(text.includes(form), `${name} in ${where}`);
});

secrets.run();
