// Bots by user agent: crawlers and headless browsers are; browsers, server SDKs and HTTP clients are not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isBot } from './bots.ts';

const BOTS = {
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  googlebotSmartphone:
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Chrome/120.0.6099.216 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  bingbot:
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) ' +
    'Chrome/116.0.1938.76 Safari/537.36',
  gptbot: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  headlessChrome:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 ' +
    'Safari/537.36',
  wget: 'Wget/1.21.4',
  scrapy: 'Scrapy/2.11.0 (+https://scrapy.org)',
  // Starts like an exempted client but is not one of them.
  nodeCrawler: 'Node/simplecrawler 0.3.9 (http://github.com/cgiffard/node-simplecrawler.git)',
};

const NOT_BOTS = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'Version/17.1.2 Mobile/15E148 Safari/604.1',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  // What @segment/analytics-node 2.x/3.x, @rudderstack/rudder-sdk-node and the others send.
  segmentNode: 'analytics-node-next/latest',
  rudderNode: 'analytics-node/3.0.13',
  analyticsPython: 'analytics-python/2.3.2',
  analyticsRuby: 'analytics-ruby/2.4.0',
  analyticsGo: 'analytics-go (version: 3.3.0)',
  analyticsJava: 'analytics-java/3.5.1',
  rudderSdk: 'rudder-sdk-node/3.0.13',
  posthogNode: 'posthog-node/4.2.1',
  segmentScoped: '@segment/analytics-node/2.1.0',
  nodeFetch2: 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  nodeFetch3: 'node-fetch',
  nodeOwnFetch: 'node',
  undici: 'undici',
  deno: 'Deno/2.9.6',
  bun: 'Bun/1.4.5',
  axios: 'axios/1.7.9',
  go: 'Go-http-client/1.1',
  pythonRequests: 'python-requests/2.32.3',
  okhttp: 'okhttp/4.12.0',
  curl: 'curl/8.5.0',
  curlShort: 'curl/8',
};

test('crawlers, headless browsers and downloaders are bots', () => {
  for (const [name, ua] of Object.entries(BOTS)) assert.ok(isBot(ua), name);
});

test('browsers, server SDKs and the HTTP clients events are sent with are not', () => {
  for (const [name, ua] of Object.entries(NOT_BOTS)) assert.not.ok(isBot(ua), name);
});

test('no user agent, or an empty one, is not a bot', () => {
  assert.is(isBot(undefined), false);
  assert.is(isBot(''), false);
});

test('the same answer from the cache, and past the point where the cache starts again', () => {
  assert.ok(isBot(BOTS.googlebot));
  for (let i = 0; i < 2_500; i++) isBot(`Mozilla/5.0 (compatible; Bot${i}/1.0)`);
  assert.ok(isBot(BOTS.googlebot));
  assert.not.ok(isBot(NOT_BOTS.curl));
  // Longer than what is cached: answered all the same, and a bot that names itself early in one is a bot.
  const long = `${NOT_BOTS.chromeWindows} ${'x'.repeat(2_000)}`;
  assert.not.ok(isBot(long));
  assert.not.ok(isBot(long));
  assert.ok(isBot(`${BOTS.googlebot} ${'x'.repeat(8_000)}`));
});

test.run();
