// Devices by user agent: real browsers' user agents give their browser, major version, OS and kind of device.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deviceOf, type Device } from './user-agent.ts';

const CASES: [name: string, ua: string, device: Device][] = [
  [
    'Chrome on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { browser: 'Chrome', browser_version: '120', os: 'Windows', device_type: 'desktop' },
  ],
  [
    'Edge on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 ' +
      'Safari/537.36 Edg/120.0.2210.91',
    { browser: 'Edge', browser_version: '120', os: 'Windows', device_type: 'desktop' },
  ],
  [
    'Safari on a Mac',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 ' +
      'Safari/605.1.15',
    { browser: 'Safari', browser_version: '17', os: 'Mac OS', device_type: 'desktop' },
  ],
  [
    'Safari on an iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'Version/17.1.2 Mobile/15E148 Safari/604.1',
    { browser: 'Mobile Safari', browser_version: '17', os: 'iOS', device_type: 'mobile' },
  ],
  [
    'Safari on an iPad',
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 ' +
      'Mobile/15E148 Safari/604.1',
    { browser: 'Mobile Safari', browser_version: '16', os: 'iOS', device_type: 'tablet' },
  ],
  [
    'Chrome on an Android phone (reduced user agent)',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile ' +
      'Safari/537.36',
    { browser: 'Chrome', browser_version: '120', os: 'Android', device_type: 'mobile' },
  ],
  [
    'Chrome on a Pixel 8',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 ' +
      'Mobile Safari/537.36',
    { browser: 'Chrome', browser_version: '120', os: 'Android', device_type: 'mobile' },
  ],
  [
    'Chrome on a Galaxy Tab',
    'Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 ' +
      'Safari/537.36',
    { browser: 'Chrome', browser_version: '120', os: 'Android', device_type: 'tablet' },
  ],
  [
    'Firefox on Linux',
    'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    { browser: 'Firefox', browser_version: '121', os: 'Linux', device_type: 'desktop' },
  ],
  [
    'Firefox on Ubuntu',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    { browser: 'Firefox', browser_version: '121', os: 'Ubuntu', device_type: 'desktop' },
  ],
  [
    'Chrome on a Chromebook',
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { browser: 'Chrome', browser_version: '120', os: 'Chromium OS', device_type: 'desktop' },
  ],
  [
    'a Samsung TV',
    'Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV ' +
      'Safari/537.36',
    { browser: 'Safari', browser_version: '', os: 'Tizen', device_type: 'tv' },
  ],
  [
    'a PlayStation 5',
    'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 ' +
      'Safari/605.1.15',
    { browser: 'Safari', browser_version: '13', os: 'PlayStation', device_type: 'console' },
  ],
  [
    'a Galaxy Watch',
    'Mozilla/5.0 (Linux; Android 11; SM-R860 Build/RP1A.200720.012; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Version/4.0 Chrome/110.0.5481.65 Mobile Safari/537.36',
    { browser: 'Chrome WebView', browser_version: '110', os: 'Android', device_type: 'wearable' },
  ],
  [
    'Googlebot',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    { browser: '', browser_version: '', os: '', device_type: 'bot' },
  ],
  [
    'Googlebot Smartphone: a bot, whatever phone it imitates',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/120.0.6099.216 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    { browser: 'Chrome', browser_version: '120', os: 'Android', device_type: 'bot' },
  ],
  [
    'bingbot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) ' +
      'Chrome/116.0.1938.76 Safari/537.36',
    { browser: 'Chrome', browser_version: '116', os: '', device_type: 'bot' },
  ],
  [
    'GPTBot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
    { browser: 'WebKit', browser_version: '537', os: '', device_type: 'bot' },
  ],
  [
    'HeadlessChrome',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 ' +
      'Safari/537.36',
    { browser: 'Chrome Headless', browser_version: '120', os: 'Linux', device_type: 'bot' },
  ],
  ['curl', 'curl/8.5.0', { browser: '', browser_version: '', os: '', device_type: 'unknown' }],
  ['a server SDK', 'analytics-node/3.0.13', { browser: '', browser_version: '', os: '', device_type: 'unknown' }],
  ['rudder-sdk-node', 'rudder-sdk-node/3.0.13', { browser: '', browser_version: '', os: '', device_type: 'unknown' }],
  ['python-requests', 'python-requests/2.32.3', { browser: '', browser_version: '', os: '', device_type: 'unknown' }],
];

for (const [name, ua, device] of CASES) {
  test(name, () => {
    assert.equal({ ...deviceOf(ua) }, device);
  });
}

test('no user agent, or an empty one: all empty, unknown', () => {
  const none = { browser: '', browser_version: '', os: '', device_type: 'unknown' };
  assert.equal({ ...deviceOf(undefined) }, none);
  assert.equal({ ...deviceOf('') }, none);
});

test('a cached device is the same (frozen) object; the cache starts again when full, with the same answers', () => {
  const ua = CASES[0]![1];
  const first = deviceOf(ua);
  assert.is(deviceOf(ua), first);
  assert.ok(Object.isFrozen(first));
  for (let i = 0; i < 2_500; i++) deviceOf(`Mozilla/5.0 (Windows NT 10.0) Chrome/${i}.0.0.0 Safari/537.36`);
  assert.equal(deviceOf(ua), first);
  // Longer than what is cached: parsed each time, all the same.
  const long = `${ua} ${'x'.repeat(2_000)}`;
  assert.equal(deviceOf(long), { ...first });
});

test.run();
