// Whether an event was sent by a bot, by its user agent: isbot's list, except for the server SDKs and HTTP clients
// that send events on behalf of users. Runtime-neutral.
//
// isbot flags every user agent that is not shaped like a browser's: its patterns include a catch-all for a bare
// `product/version` ("curl/8.5.0", "analytics-node/3.0.13"), `http`, `node`, `java`, `python`, `url` and `.com`.
// Taking the patterns those SDKs match out of its list (isbot's README way of making exceptions) takes those
// catch-alls out too and halves what it recognises: 21,114 of the 41,893 crawler user agents in isbot's own
// fixtures instead of 41,495. So the exceptions are a separate, anchored list, read before isbot's:
// - analytics-* (Segment's and RudderStack's SDKs: analytics-node, analytics-node-next, analytics-python,
//   analytics-ruby, analytics-go, analytics-java, …), rudder-*, posthog-*, @segment/*: server-side analytics SDKs;
//   what they send is a user's event, relayed by the customer's server.
// - node-fetch, undici, node (Node's own fetch), Deno, Bun (their fetch), axios, Go-http-client, python-requests,
//   okhttp, curl: the HTTP clients a server, a job or a shell script sends events with. A crawler that renders pages
//   runs the page's own tracking in a browser (HeadlessChrome, Googlebot), and that stays a bot.
// Wget stays a bot: it is a recursive downloader, not something events are sent with.
import { isBot as isbot } from 'isbot';

const SENDERS = new RegExp(
  '^(?:' +
    [
      'analytics-[\\w.-]+',
      'rudder-[\\w.-]+',
      'posthog-[\\w.-]+',
      '@segment/[\\w.-]+',
      'node-fetch',
      'undici',
      'axios',
      'go-http-client',
      'python-requests',
      'okhttp',
      'curl',
      'deno',
      'bun',
    ].join('|') +
    // Then a version, a comment, or nothing more: "curl/8.5.0", "analytics-go (version: 3.3.0)", "node-fetch".
    ')(?:[/ ]|$)|^node$',
  'i',
);

/** How many user agents the cache holds before it starts again; longer ones than MAX_KEY are not kept, but the last
 *  one is remembered (the events of a batch share a user agent). isbot reads the first MAX_READ characters only: its
 *  patterns cost time in proportion to the length, and a bot names itself early. */
const MAX_ENTRIES = 2_000;
const MAX_KEY = 512;
const MAX_READ = 1_000;
const cache = new Map<string, boolean>();
let last = '';
let lastBot = false;

/** Whether the user agent is a bot's. An absent or empty one is not: the SDKs that omit it are not bots. */
export function isBot(userAgent: string | undefined): boolean {
  if (!userAgent) return false;
  const known = cache.get(userAgent);
  if (known !== undefined) return known;
  if (userAgent === last) return lastBot;
  const bot = !SENDERS.test(userAgent) && isbot(userAgent.length > MAX_READ ? userAgent.slice(0, MAX_READ) : userAgent);
  if (userAgent.length <= MAX_KEY) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(userAgent, bot);
  } else {
    last = userAgent;
    lastBot = bot;
  }
  return bot;
}
