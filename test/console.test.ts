// The web console in a real headless browser (Debian's chromium, driven by puppeteer-core) against the real
// pipeline on the embedded engine: every page loads with no console error; an event posted during the test shows in
// the live tail; a dead letter is redriven from the page and then lands; a report chart draws one point per day of
// the range; the catalog's form shows the collector's 400 naming the bad field. Access (tokens, sessions, redrive)
// is checked over HTTP. `npm run screenshots` writes the pages' pictures to docs/console for the README; a test run
// writes them to its own folder.
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import * as assert from 'uvu/assert';
import { startArchiver, type RunningArchiver } from '../archive/mod.ts';
import { sendDemo, startLoadgen } from '../demo/mod.ts';
import type { Overview } from '../reader/console/mod.ts';
import { startReader, type RunningReader } from '../reader/mod.ts';
import { buildBundles } from '../tools/build.ts';
import { countReaches, pipelineSuite, postJson, waitUntilAcked } from './support/mod.ts';

const CHROMIUM = '/usr/bin/chromium';
const ADMIN_KEY = 'console-test-admin-key';
const SCREENSHOTS = process.argv.includes('--screenshots');

interface Ctx {
  reader: RunningReader;
  archiver: RunningArchiver;
  url: string;
  nc: NatsConnection;
  browser: Browser;
  shots: string;
}
const test = pipelineSuite<Ctx>('console (browser)', {
  engine: 'embedded',
  env: { SINK_MAX_DELIVER: '2' },
  async stop(ctx) {
    await ctx.browser?.close();
    await ctx.nc?.close();
    await ctx.reader?.stop();
    await ctx.archiver?.stop();
  },
});

test.before(async (ctx) => {
  await buildBundles();
  ctx.archiver = await startArchiver(ctx.services.config({ ARCHIVE_FLUSH_SECONDS: '2' }));
  const cfg = ctx.services.config({
    CONSOLE_COLLECTORS: ctx.p.url,
    CONSOLE_SINKS: `http://127.0.0.1:${ctx.p.sink.healthPort}`,
    CONSOLE_ARCHIVERS: `http://127.0.0.1:${ctx.archiver.port}`,
    ADMIN_KEYS: ADMIN_KEY,
  });
  ctx.reader = await startReader(cfg, { clickhouse: ctx.p.sink.clickhouse, catalog: ctx.p.sink.catalog });
  ctx.url = `http://127.0.0.1:${ctx.reader.port}`;
  ctx.nc = await connect({ servers: ctx.services.nats.url });
  // A month of demo data, so the reports have shapes to draw.
  await sendDemo(ctx.p.url, { days: 30, users: 25, end: '2024-06-30' });
  ctx.browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  ctx.shots = SCREENSHOTS ? 'docs/console' : join(ctx.services.dir, 'screenshots');
  mkdirSync(ctx.shots, { recursive: true });
});

/** A page of the console, with every console error and uncaught exception it logs collected. */
async function open(ctx: Ctx, path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
  const page = await ctx.browser.newPage();
  await page.setViewport({ width, height: 860 });
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(String(e)));
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${ctx.url}${path}`, { waitUntil: 'domcontentloaded' });
  return { page, errors };
}

const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent ?? '');

test('every page loads with no console error (screenshots of each)', async (ctx) => {
  // Traffic while the overview samples, so its charts and rates have something to show.
  const load = startLoadgen({ url: ctx.p.url, rps: 40, batch: 1, catalog: ctx.p.sink.catalog() });
  try {
    const pages: [name: string, path: string, ready: string][] = [
      ['overview', '/console/#/overview', '.cards .card'],
      ['tail', '/console/#/tail', 'table.tail tbody tr td code'],
      ['events', '/console/#/events', 'form.toolbar'],
      ['dead-letters', '/console/#/dead-letters', '#letters'],
      ['reports', '/console/#/reports?from=2024-06-01&to=2024-06-30', '.chart canvas'],
      ['catalog', '/console/#/catalog', '#fields tbody tr'],
      ['docs', '/console/docs', '#reader-docs .info'],
    ];
    for (const [name, path, ready] of pages) {
      const { page, errors } = await open(ctx, path);
      await page.waitForSelector(ready, { timeout: 15_000 });
      if (name === 'overview') await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 2);
      if (name === 'events') {
        await page.click('form.toolbar button[type=submit]');
        await page.waitForSelector('#events-table tbody tr');
      }
      await new Promise((r) => setTimeout(r, name === 'overview' ? 4500 : 500));
      await page.screenshot({ path: join(ctx.shots, `${name}.png`) });
      assert.equal(errors, [], `${name}: console errors`);
      await page.close();
    }
    // The overview on a phone: one column, nothing wider than the screen.
    const { page, errors } = await open(ctx, '/console/#/overview', 390);
    await page.waitForSelector('.cards .card');
    await new Promise((r) => setTimeout(r, 500));
    await page.screenshot({ path: join(ctx.shots, 'overview-phone.png') });
    const wider = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        // A table in a horizontal scroller may be wider: it scrolls, the page does not.
        .filter((el) => !el.closest('.scroll') && el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
    );
    assert.equal(wider, [], 'elements wider than a phone');
    assert.equal(errors, []);
    await page.close();
    // Every process the overview watches is up: the collector, the sink and the archiver, whose rate it charts.
    const overview = (await (await fetch(`${ctx.url}/console/api/overview`)).json()) as Overview;
    assert.equal(
      overview.health.map((h) => [h.role, h.up, h.ready]),
      [
        ['collector', true, true],
        ['sink', true, true],
        ['archiver', true, true],
      ],
    );
    assert.ok(
      overview.series.some((p) => p.archived > 0),
      'the archiver wrote events during the load',
    );
  } finally {
    await load.stop();
  }
});

test('an event posted during the test appears in the live tail', async (ctx) => {
  const { page, errors } = await open(ctx, '/console/#/tail');
  await page.waitForFunction(() => document.querySelector('#tail-state')?.textContent === 'live');
  const id = `tail-${Date.now()}`;
  const event = { event_id: id, dt: new Date().toISOString(), event: 'tail_test', user_id: 'tail-user' };
  assert.is((await postJson(`${ctx.p.url}/v1/events`, event)).status, 202);
  await page.waitForFunction((id) => document.querySelector('table.tail')?.textContent?.includes(id), {}, id);
  assert.equal(errors, []);
  await page.close();
});

test('a dead letter is redriven from the page, then lands', async (ctx) => {
  // A producer bypassing the collector sends an item id that is no number: ClickHouse refuses it, the sink
  // dead-letters it.
  const letter = {
    event_id: 'console-sku',
    timestamp: '2024-01-02 03:04:05',
    user_id: 1,
    item_id: 'sku-9',
    received_at: '2024-01-02 03:04:05.000',
  };
  await jetstream(ctx.nc).publish('events.cart_add', JSON.stringify(letter));
  await waitUntilAcked(ctx.services.nats.url);
  const { page, errors } = await open(ctx, '/console/#/dead-letters');
  await page.waitForSelector('#letters tr.letter');
  assert.match(await textOf(page, '#letters'), /cart_add/);
  await page.click('#letters tr.letter td.num a');
  await page.waitForSelector('#letters pre');
  await page.screenshot({ path: join(ctx.shots, 'dead-letters.png') });
  // The fix lands (item ids become strings), then the letter is redriven from the page.
  await ctx.p.sink.clickhouse.client.command({
    query: 'ALTER TABLE edge_events.cart_add MODIFY COLUMN item_id String',
  });
  await page.click('#letters tr.letter input[type=checkbox]');
  await page.click('#redrive-selected');
  await page.waitForSelector('#redrive-result');
  assert.is(await textOf(page, '#redrive-result'), 'redriven: 1');
  const landed = "SELECT count() AS n FROM edge_events.cart_add FINAL WHERE event_id = 'console-sku'";
  assert.is(await countReaches(ctx.p.sink, landed, 1), 1);
  await page.waitForFunction(() => document.querySelector('#letters')?.textContent?.includes('no dead letters'));
  assert.equal(errors, []);
  await page.close();
});

test('a report chart draws one point per day of the range; activity by a cut beside it', async (ctx) => {
  const { page, errors } = await open(ctx, '/console/#/reports?from=2024-06-01&to=2024-06-30');
  const chart = '.chart[data-title="DAU / WAU / MAU"]';
  await page.waitForSelector(`${chart} canvas`);
  assert.is(await page.$eval(chart, (el) => el.getAttribute('data-points')), '30');
  // The line is drawn from the report's rows: the legend shows a value for the last day hovered.
  const api = (await (await fetch(`${ctx.url}/v1/reports/activity?from=2024-06-01&to=2024-06-30`)).json()) as {
    rows: { dau: number }[];
  };
  assert.is(api.rows.length, 30);
  assert.ok(
    api.rows.some((r) => r.dau > 0),
    'the demo data gives the chart users to draw',
  );
  // By device type: activity drawn overall and by the cut (the demo's users have desktops, iPhones and an Android).
  await page.select('select[name=by]', 'device_type');
  const byDevice = '.chart[data-title="MAU by device type, bots left out"]';
  await page.waitForSelector(`${byDevice} canvas`);
  assert.is(await page.$eval(byDevice, (el) => el.getAttribute('data-points')), '30');
  const legend = await page.$eval(byDevice, (el) => el.textContent ?? '');
  assert.match(legend, /desktop/);
  assert.match(legend, /mobile/);
  assert.ok(await page.$(`${chart} canvas`), 'and overall');
  assert.equal(errors, []);
  await page.close();
});

test("the catalog page: a type's personal data; its form shows the 400 naming the bad field", async (ctx) => {
  const { page, errors } = await open(ctx, '/console/#/catalog');
  await page.waitForSelector('.types a');
  const links = await page.$$('.types a');
  for (const link of links) {
    if ((await link.evaluate((el) => el.textContent)) === 'PageVisit') await link.click();
  }
  await page.waitForFunction(() => document.querySelector('h3')?.textContent === 'PageVisit');
  // Its personal data: the user's id, kept as long as the row; what the collector adds.
  const privacy = await textOf(page, '#privacy');
  assert.match(privacy, /user_id\s*the client\s*not needed\s*as long as the row/);
  assert.match(privacy, /adds country/);
  const bad = JSON.stringify({ timestamp: '2024-06-01T10:00:00Z', user_id: 'not-a-number', page_id: 1 });
  await page.$eval(
    'textarea[name=payload]',
    (el, text) => {
      const area = el as HTMLTextAreaElement;
      area.value = text;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    },
    bad,
  );
  await page.click('form button[type=submit]');
  await page.waitForSelector('#answer');
  const answer = await textOf(page, '#answer');
  assert.match(answer, /^400 from POST \/v1\/events\/PageVisit/);
  assert.match(answer, /user_id/);
  await page.screenshot({ path: join(ctx.shots, 'catalog.png') });
  assert.equal(errors, []);
  await page.close();
});

test('access: off loopback a token is needed; a read key reads, cannot redrive; no secret in the page', async (ctx) => {
  const cfg = ctx.services.config({
    READER_HOST: '0.0.0.0',
    CONSOLE_TOKEN: 'console-token-1234',
    READ_KEYS: 'read-key-12345678',
  });
  const reader = await startReader(cfg, { clickhouse: ctx.p.sink.clickhouse, catalog: ctx.p.sink.catalog });
  const base = `http://127.0.0.1:${reader.port}`;
  try {
    const page = await (await fetch(`${base}/console/`)).text();
    assert.not.match(page, /console-token-1234|read-key-12345678/);
    assert.is((await fetch(`${base}/console/api/overview`)).status, 401);
    assert.is((await fetch(`${base}/v1/reports/lag?from=2024-06-01&to=2024-06-01`)).status, 401);
    const signIn = (secret: string) =>
      fetch(`${base}/console/api/sign-in`, {
        method: 'POST',
        headers: { origin: base, 'content-type': 'application/json' },
        body: JSON.stringify({ secret }),
      });
    assert.is((await signIn('wrong-secret')).status, 401);
    const reader_ = await signIn('read-key-12345678');
    const readerCookie = reader_.headers.get('set-cookie')!.split(';')[0]!;
    assert.match(reader_.headers.get('set-cookie')!, /HttpOnly/i);
    assert.is((await fetch(`${base}/console/api/overview`, { headers: { cookie: readerCookie } })).status, 200);
    // The session reads the reading API too, which is what the pages call.
    const lag = await fetch(`${base}/v1/reports/lag?from=2024-06-01&to=2024-06-01`, {
      headers: { cookie: readerCookie },
    });
    assert.is(lag.status, 200);
    const redrive = (cookie: string) =>
      fetch(`${base}/console/api/dead-letters/redrive`, {
        method: 'POST',
        headers: { cookie, origin: base, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'cart_add' }),
      });
    assert.is((await redrive(readerCookie)).status, 403);
    const admin = (await signIn('console-token-1234')).headers.get('set-cookie')!.split(';')[0]!;
    const done = await redrive(admin);
    assert.equal([done.status, await done.json()], [200, { redriven: 0 }]);
    const badBody = await fetch(`${base}/console/api/dead-letters/redrive`, {
      method: 'POST',
      headers: { cookie: admin, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ seqs: ['x'] }),
    });
    assert.is(badBody.status, 400);
  } finally {
    await reader.stop();
  }
});

test('the privacy page asks for an erasure with an admin key and follows it until done', async (ctx) => {
  const { page, errors } = await open(ctx, '/console/#/privacy');
  await page.waitForSelector('form#erasure');
  const fill = async (key: string) => {
    await page.$eval('input[name=admin-key]', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('input[name=admin-key]', key);
  };
  await page.type('input[name=user-id]', 'nobody-in-the-demo');
  await fill('not-the-admin-key');
  await page.click('form#erasure button[type=submit]');
  await page.waitForSelector('p.error');
  assert.match(await textOf(page, 'p.error'), /admin key/);
  await fill(ADMIN_KEY);
  await page.click('#suppress, input[name=suppress]');
  await page.click('form#erasure button[type=submit]');
  await page.waitForSelector('#erasure-status');
  await page.waitForFunction(() => document.querySelector('#erasure-status strong')?.textContent === 'done', {
    timeout: 45_000,
  });
  const status = await textOf(page, '#erasure-status');
  assert.match(status, /user nobody-in-the-demo, suppressed/);
  for (const place of ['clickhouse', 'dead_letters', 'archive']) assert.match(status, new RegExp(`${place}:`));
  // A console error is the 403 of the wrong key, which the page showed.
  assert.equal(
    errors.filter((e) => !/403/.test(e)),
    [],
  );
  await page.close();
});

test.run();
