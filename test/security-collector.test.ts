// Attacks on the collector, sent as an attacker would against real collectors on a real nats-server: a forged
// X-Forwarded-For to escape per-IP limits, a flood of /readyz to load JetStream, slow bodies (slowloris) to hold
// connections and the body budget, malformed escapes and JSON bombs to cause 500s, NATS credentials fished out of
// 503s and logs, and an event_id forged to collide with a redrive's or a batch's message id so a dead letter or
// another client's events are dropped as duplicates. Each test asserts the refusal and that nothing was stored.
import { DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, createInbox, type NatsConnection } from '@nats-io/transport-node';
import { connect as connectTcp, type Socket } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCollector, type RunningCollector } from '../collector/mod.ts';
import { eventMessageId, redriveMessageId } from '../shared/mod.ts';
import { ConfigError, loadConfig } from '../shared/config/mod.ts';
import { createDeadLetterer, DLQ_STREAM, EVENTS_STREAM, messageIdOf, readLetters, redrive } from '../streams/mod.ts';
import {
  applyStreams,
  freePort,
  post,
  postJson,
  spawnService,
  startServices,
  storedEvents,
  waitFor,
  type Services,
} from './support/mod.ts';

const test = suite<{ services: Services; nc: NatsConnection; running: RunningCollector[] }>('security: collector');
test.before(async (ctx) => {
  ctx.services = await startServices('none');
  await applyStreams(ctx.services.config());
  ctx.nc = await connect({ servers: ctx.services.nats.url });
  ctx.running = [];
});
test.before.each(async ({ nc }) => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.purge(EVENTS_STREAM);
  await jsm.streams.purge(DLQ_STREAM);
});
test.after.each(async (ctx) => {
  for (const c of ctx.running.splice(0)) await c.stop();
});
test.after(async (ctx) => {
  await ctx.nc?.close();
  await ctx.services?.cleanup();
});

/** A collector in this process against the test's NATS, with these settings; stopped after the test. */
async function collector(ctx: { services: Services; running: RunningCollector[] }, env: Record<string, string> = {}) {
  const running = await startCollector(ctx.services.config(env));
  ctx.running.push(running);
  return `http://127.0.0.1:${running.port}`;
}

const click = (event_id: string) => ({ event_id, dt: '2024-01-02T03:04:05Z', event: 'click', user_id: 'u1' });
const ids = async (services: Services) => (await storedEvents(services.nats.url)).map((e) => e.event_id as string);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('X-Forwarded-For: a client rotating forged entries stays one client to the per-IP limit', async (ctx) => {
  // The test stands in for one load balancer: it appends the address it saw (203.0.113.7) to what the client sent.
  // A token every 5 s, two at once: the burst is spent long before the next token, however slow the machine.
  const url = await collector(ctx, { TRUSTED_PROXIES: '1', RATE_LIMIT_IP_RPS: '0.2', RATE_LIMIT_IP_BURST: '2' });
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) {
    const forged = `10.${i}.${i}.${i}, 198.51.100.${i}`;
    const res = await post(`${url}/v1/events`, JSON.stringify(click(`xff-${i}`)), {
      'content-type': 'application/json',
      'x-forwarded-for': `${forged}, 203.0.113.7`,
    });
    statuses.push(res.status);
    if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) >= 1);
  }
  assert.equal(statuses, [202, 202, 429, 429, 429, 429, 429, 429]);
  // Another client behind the same balancer is not starved by it.
  const other = await post(`${url}/v1/events`, JSON.stringify(click('xff-other')), {
    'content-type': 'application/json',
    'x-forwarded-for': '10.0.0.1, 203.0.113.8',
  });
  assert.is(other.status, 202);
  assert.equal((await ids(ctx.services)).sort(), ['xff-0', 'xff-1', 'xff-other']);

  // Without TRUSTED_PROXIES the header counts for nothing: every request here comes from 127.0.0.1.
  const direct = await collector(ctx, { RATE_LIMIT_IP_RPS: '0.2', RATE_LIMIT_IP_BURST: '1' });
  const spoofed = (i: number) =>
    post(`${direct}/v1/events`, JSON.stringify(click(`direct-${i}`)), {
      'content-type': 'application/json',
      'x-forwarded-for': `192.0.2.${i}`,
    });
  assert.equal([(await spoofed(1)).status, (await spoofed(2)).status], [202, 429]);

  // The setting that trusted the leftmost entry is refused at start, naming what replaces it.
  const refused = (env: Record<string, string>) => {
    try {
      loadConfig(env, 'collector');
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    return '';
  };
  assert.match(refused({ TRUST_PROXY: 'true' }), /TRUST_PROXY="true": retired.*set TRUSTED_PROXIES/);
  assert.match(refused({ TRUSTED_PROXIES: 'my-proxy' }), /TRUSTED_PROXIES="my-proxy": "my-proxy" is not a CIDR/);
  assert.is(refused({ TRUST_PROXY: 'false', TRUSTED_PROXIES: '10.0.0.0/8, private' }), '');
});

test('/readyz: a flood of probes answers from cached state, not with JetStream requests', async (ctx) => {
  const url = await collector(ctx);
  const jsm = await jetstreamManager(ctx.nc);
  assert.is((await fetch(`${url}/readyz`)).status, 200);
  const before = (await jsm.getAccountInfo()).api.total;
  const statuses = await Promise.all(
    Array.from({ length: 400 }, async () => {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      return res.status;
    }),
  );
  const calls = (await jsm.getAccountInfo()).api.total - before - 1;
  assert.ok(
    statuses.every((s) => s === 200),
    JSON.stringify(statuses.filter((s) => s !== 200)),
  );
  assert.ok(calls <= 5, `${calls} JetStream API requests for 400 probes`);
  // The cached state still follows the stream: gone → not ready within a few seconds; back → ready.
  await jsm.streams.delete(EVENTS_STREAM);
  try {
    await waitFor('not ready', async () => ((await fetch(`${url}/readyz`)).status === 503 ? true : undefined), 5000);
  } finally {
    await applyStreams(ctx.services.config());
  }
  await waitFor('ready', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 5000);
});

/** A raw connection that sent `head`, then trickles `byte` every `everyMs`; `closedAfterMs` once cut off. */
function slowClient(port: number, head: string, byte: string, everyMs = 200) {
  const started = Date.now();
  const socket: Socket = connectTcp(port, '127.0.0.1');
  const state = { closedAfterMs: -1, answer: '' };
  socket.on('data', (d) => (state.answer += d.toString()));
  socket.on('error', () => {});
  socket.on('close', () => ((state.closedAfterMs = Date.now() - started), clearInterval(drip)));
  socket.write(head);
  const drip = setInterval(() => socket.writable && socket.write(byte), everyMs);
  return Object.assign(state, { socket, stop: () => (clearInterval(drip), socket.destroy()) });
}

test('slowloris: a body not finished within BODY_TIMEOUT_MS is cut off while other clients are served', async (ctx) => {
  const BODY_TIMEOUT_MS = 1500;
  const LIMIT = 64 * 1024;
  const url = await collector(ctx, {
    BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    BODY_LIMIT_BYTES: String(LIMIT),
    MAX_INFLIGHT_BYTES: String(4 * LIMIT),
  });
  const port = Number(new URL(url).port);
  const body = JSON.stringify(click('slow'));
  const head = (length: string) =>
    `POST /v1/events HTTP/1.1\r\nHost: collector\r\nContent-Type: application/json\r\n${length}\r\n`;
  const slow = Array.from({ length: 3 }, () =>
    slowClient(port, `${head(`Content-Length: ${body.length}\r\n`)}${body.slice(0, 10)}`, ' '),
  );
  // Meanwhile, ordinary clients are answered as usual.
  const served: number[] = [];
  for (let i = 0; slow.some((s) => s.closedAfterMs < 0) && i < 40; i++) {
    served.push((await postJson(`${url}/v1/events`, click(`meanwhile-${i}`))).status);
    await sleep(100);
  }
  assert.ok(served.length >= 5 && served.every((s) => s === 202), JSON.stringify(served));
  for (const s of slow) {
    assert.ok(s.closedAfterMs >= BODY_TIMEOUT_MS - 100, `cut at ${s.closedAfterMs} ms, not before the deadline`);
    // uWebSockets.js would cut it at ~10 s by itself: this is the deadline's doing.
    assert.ok(s.closedAfterMs < BODY_TIMEOUT_MS + 2000, `cut at ${s.closedAfterMs} ms`);
  }
  const stored = await ids(ctx.services);
  assert.ok(!stored.includes('slow'), 'nothing of a slow body is stored');
  assert.is(stored.length, served.length);

  // Chunked slow bodies reserve the whole body limit each: four fill the budget (the fourth client gives up and
  // leaves mid-body), and others are refused with 503 while they last. Once cut off, their reservations come back.
  const chunked = Array.from({ length: 4 }, () =>
    slowClient(port, `${head('Transfer-Encoding: chunked\r\n')}1\r\n[\r\n`, '1\r\n \r\n'),
  );
  await sleep(300);
  chunked[3]!.stop();
  assert.is((await postJson(`${url}/v1/events`, click('while-full'))).status, 503);
  await waitFor(
    'the budget back',
    async () => ((await postJson(`${url}/v1/events`, click('after'))).status === 202 ? true : undefined),
    BODY_TIMEOUT_MS + 3000,
  );
  await waitFor('the chunked ones cut off', async () => (chunked.every((s) => s.closedAfterMs > 0) ? true : undefined));
  for (const s of chunked.slice(0, 3)) assert.ok(s.closedAfterMs < BODY_TIMEOUT_MS + 2000, `${s.closedAfterMs} ms`);
  assert.not.ok((await ids(ctx.services)).includes('while-full'));
});

test('slowloris under Deno and Bun: the fetch adapter answers a late body 408 while others are served', async (ctx) => {
  for (const role of ['collector:deno', 'collector:bun'] as const) {
    const env = { NATS_URL: ctx.services.nats.url, HOST: '127.0.0.1', PORT: String(await freePort()) };
    const proc = await spawnService(role, { ...env, BODY_TIMEOUT_MS: '1000' }, ctx.services.dir);
    try {
      const body = JSON.stringify(click(`slow-${role}`));
      const slow = slowClient(
        Number(env.PORT),
        `POST /v1/events HTTP/1.1\r\nHost: c\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\n\r\n` +
          body.slice(0, 10),
        ' ',
      );
      const started = Date.now();
      assert.is((await postJson(`http://127.0.0.1:${env.PORT}/v1/events`, click(`fast-${role}`))).status, 202);
      await waitFor(`${role}: 408`, async () => (slow.answer.includes(' 408 ') ? true : undefined), 4000);
      assert.ok(Date.now() - started < 3000, `${role}: answered after ${Date.now() - started} ms`);
      assert.match(slow.answer, /request body not received within 1000 ms/);
      slow.stop();
      assert.equal(await ids(ctx.services), [`fast-${role}`]);
    } finally {
      await proc.terminate();
      await (await jetstreamManager(ctx.nc)).streams.purge(EVENTS_STREAM);
    }
  }
});

test('a malformed escape in a typed route and deeply nested JSON are 400, not 500; nothing is stored', async (ctx) => {
  const url = await collector(ctx);
  for (const path of ['/v1/events/%E0', '/v1/events/%E0%A4%A', '/v1/events/%']) {
    const res = await postJson(`${url}${path}`, click('escape'));
    assert.is(res.status, 400, path);
    assert.equal(res.json, { error: 'malformed percent-encoding in the path' });
  }
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const bomb = (tail: string) => `{"event":"click","dt":"2024-01-02T03:04:05Z","user_id":"u1",${tail}}`;
  for (const [path, body] of [
    ['/v1/events', bomb(`"event_id":"deep-1","zzz":${deep(100_000)}`)],
    ['/v1/track', `{"userId":"u1","event":"click","messageId":"deep-2","properties":{"p":${deep(100_000)}}}`],
    [
      '/v1/batch',
      `{"batch":[{"type":"track","userId":"u1","event":"x","messageId":"deep-3","properties":${deep(65)}}]}`,
    ],
  ] as const) {
    const res = await post(`${url}${path}`, body, { 'content-type': 'application/json' });
    assert.is(res.status, 400, `${path}: ${res.text.slice(0, 200)}`);
    assert.match(res.json.error, /nested deeper than 64 levels/);
  }
  assert.equal(await ids(ctx.services), []);
  assert.is((await postJson(`${url}/v1/events`, click('still-fine'))).status, 202);
});

test('NATS credentials reach neither a 503 body nor the logs', async ({ services }) => {
  const secret = 's3cret-pass-4711';
  const natsPort = await freePort();
  const env = {
    NATS_URL: `nats://edge:${secret}@127.0.0.1:${natsPort}`,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    LOG_LEVEL: 'debug',
  };
  const proc = await spawnService('collector', env, services.dir, { readyPath: '/healthz' });
  try {
    const url = `http://127.0.0.1:${env.PORT}`;
    const one = await postJson(`${url}/v1/events`, click('no-nats'));
    assert.is(one.status, 503);
    assert.equal(one.json, { error: 'event storage is unavailable, retry later', reason: 'disconnected' });
    const batch = await postJson(`${url}/v1/events`, [click('no-nats-1'), click('no-nats-2')]);
    assert.is(batch.status, 503);
    for (const text of [one.text, batch.text]) {
      assert.not.ok(text.includes(secret), text);
      assert.not.ok(text.includes(String(natsPort)), `the 503 says what is unavailable, not where: ${text}`);
    }
    await waitFor('the waiting line', async () => (proc.log().includes('waiting for it') ? true : undefined), 10_000);
    assert.not.ok(proc.log().includes(secret), proc.log());
    assert.ok(proc.log().includes(`nats://***@127.0.0.1:${natsPort}`), 'the server is named, without credentials');
  } finally {
    await proc.terminate();
  }
});

/** Dead-letters the last message stored on `subject`, as the sink does with poison. Returns the letter's DLQ seq. */
async function deadLetterLast(nc: NatsConnection, subject: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const { last_seq: lastDlq } = (await jsm.streams.info(DLQ_STREAM)).state;
  const last = await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: subject });
  const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: last!.seq,
  });
  let msg: JsMsg | undefined;
  for await (const m of await consumer.fetch({ max_messages: 1, expires: 2000 })) msg = m;
  await createDeadLetterer(
    { nc, connected: () => true, inbox: () => createInbox() },
    'sink',
  )([{ msg: msg!, reason: 'poison (test)', firstFailure: Date.now() }]);
  return lastDlq + 1;
}

test('message ids: an event_id forged as a redrive`s id does not make the redrive a duplicate', async (ctx) => {
  const url = await collector(ctx);
  const jsm = await jetstreamManager(ctx.nc);
  // The attacker predicts the DLQ sequence the next dead letter will get and sends its redrive id as an event_id.
  const next = (await jsm.streams.info(DLQ_STREAM)).state.last_seq + 1;
  const forged = redriveMessageId(DLQ_STREAM, next);
  assert.is((await postJson(`${url}/v1/events`, click(forged))).status, 202);
  // A victim's event is dead-lettered (poison, as far as the sink is concerned), then redriven once fixed.
  assert.is((await postJson(`${url}/v1/events`, click('victim-1'))).status, 202);
  assert.is(await deadLetterLast(ctx.nc, 'events.generic'), next, 'the letter got the predicted sequence');
  assert.is((await redrive(ctx.nc, {})).redriven, 1);
  const stored = await ids(ctx.services);
  assert.equal(
    stored.filter((id) => id === 'victim-1'),
    ['victim-1', 'victim-1'],
    `the redriven event landed again: ${stored.join(', ')}`,
  );
  assert.ok(stored.includes(forged), 'the forged event_id is an event like any other');
  const letters = [];
  for await (const l of readLetters(ctx.nc)) letters.push(l);
  assert.equal(letters, [], 'the dead letter is gone only because it was redriven');
});

test('message ids: an event_id forged as a batch`s id does not swallow that batch; retries dedup', async (ctx) => {
  const url = await collector(ctx);
  // The victim's two events will share one message: its id digests theirs. The attacker sends that id first (as
  // the collector builds it, and as it would be built from the bare event_ids).
  for (const forged of [
    messageIdOf([eventMessageId('batch-a'), eventMessageId('batch-b')]),
    messageIdOf(['batch-a', 'batch-b']),
  ])
    assert.is((await postJson(`${url}/v1/events`, click(forged))).status, 202);
  const victim = await postJson(`${url}/v1/events`, [click('batch-a'), click('batch-b')]);
  assert.is(victim.status, 202);
  const stored = await ids(ctx.services);
  assert.ok(stored.includes('batch-a') && stored.includes('batch-b'), stored.join(', '));
  // A client's retry of one event within the duplicate window is still one message.
  for (let i = 0; i < 3; i++) assert.is((await postJson(`${url}/v1/events`, click('retried'))).status, 202);
  assert.equal(
    (await ids(ctx.services)).filter((id) => id === 'retried'),
    ['retried'],
  );
});

test.run();
