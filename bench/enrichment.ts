// What the enrichment rows of the http and floor benchmarks send (#23): a catalog of types of the http bench's batch
// shape, without enrichment and with more and more of it (device and bots; then the country; then the address's
// daily hash), written to a folder for EVENT_CATALOG; 100-event batches of each; and the clients they
// come from — a few browsers' user agents (a warm cache, as real traffic keeps it) and 50 public addresses in
// X-Forwarded-For (IPv4 and IPv6, each placed in a country by the shipped geo database), so that geo and ip look up
// a different address from one request to the next, as they do behind a load balancer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The bench's types, least enrichment first: name, what it does, its `enrich:`. BenchPlain and BenchEnriched are the
 *  pair the issue compares. */
export const ENRICH_TYPES = [
  ['BenchPlain', 'no enrichment', ''],
  ['BenchDevice', 'user agent + bots (flag)', '{ user_agent: true, bots: flag }'],
  [
    'BenchPlace',
    'user agent + bots + geo (as the shipped Generic type)',
    '{ user_agent: true, bots: flag, geo: true }',
  ],
  ['BenchEnriched', 'user agent + bots + geo + IP hash', '{ user_agent: true, bots: flag, geo: true, ip: hash }'],
] as const;
export type EnrichType = (typeof ENRICH_TYPES)[number][0];

/** Writes the catalog file into `dir` (created) and returns `dir`, for EVENT_CATALOG=catalog,<dir>. */
export function writeEnrichmentCatalog(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const types = ENRICH_TYPES.map(
    ([name, what, enrich]) => `  - name: ${name}
    description: "The http bench's batch event: ${what}."
    time: dt
    order_by: [dt, event]
${enrich ? `    enrich: ${enrich}\n` : ''}    fields:
      dt: { type: datetime, zone: required }
      event: { type: string, low_cardinality: true, max_length: 256, min_length: 1 }
      user_id: { type: id }
      screen: { type: string, max_length: 256, default: "" }
      elem: { type: string, max_length: 256, default: "" }
      amount: { type: int, default: 0 }
`,
  );
  const head = "# bench/enrichment.ts: the enrichment rows' types.";
  writeFileSync(join(dir, 'bench-enrichment.yaml'), `${head}\ntypes:\n${types.join('')}`);
  return dir;
}

/** A 100-event batch of `type`, the http bench's BATCH but for the event name. */
export const batchOf = (type: EnrichType): string =>
  JSON.stringify(
    Array.from({ length: 100 }, (_, i) => ({
      dt: '2024-06-01T12:00:00Z',
      event: type,
      user_id: `user-${i}`,
      screen: 'catalog',
      elem: 'card',
      amount: i,
    })),
  );

/** Browsers' user agents as sent today: desktop and mobile Chrome, Safari, Firefox, Edge. */
export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 ' +
    'Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 ' +
    'Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 ' +
    'Edg/126.0.0.0',
] as const;

/** 50 public addresses of networks on five continents, 40 IPv4 and 10 IPv6; the shipped database places each. */
export const ADDRESSES = [
  '8.8.8.8',
  '24.48.0.1',
  '31.13.64.35',
  '37.120.5.9',
  '46.114.32.7',
  '62.210.16.6',
  '77.88.55.60',
  '78.46.92.15',
  '81.2.69.142',
  '82.132.195.20',
  '84.200.69.80',
  '86.57.255.93',
  '89.160.20.112',
  '90.84.64.10',
  '91.198.174.192',
  '93.184.216.34',
  '109.70.100.17',
  '176.9.12.4',
  '178.62.90.11',
  '188.165.3.4',
  '193.0.6.139',
  '212.58.244.20',
  '217.160.0.201',
  '1.36.0.3',
  '14.1.96.5',
  '27.131.4.9',
  '49.207.4.2',
  '58.27.20.1',
  '61.19.42.6',
  '101.0.64.1',
  '113.161.4.6',
  '117.102.3.3',
  '124.6.181.5',
  '133.242.0.3',
  '177.71.207.1',
  '181.30.0.3',
  '189.45.0.6',
  '201.144.3.1',
  '41.190.4.2',
  '102.132.96.35',
  '2a00:1450:4001:81b::200e',
  '2001:4860:4860::8888',
  '2600:1700:abcd::1',
  '2a02:810d:4b00::1',
  '2409:4060:2d00::1',
  '2406:da14:100::1',
  '2a03:2880:f003:c07:face:b00c::2',
  '2804:14c:5b00::1',
  '2607:f8b0:4005:80a::200e',
  '2a01:e0a:abc::1',
] as const;

/** One request's client headers per address (a browser each, in turn): what a load balancer hands on. */
export const CLIENT_HEADERS: readonly Record<string, string>[] = ADDRESSES.map((ip, i) => ({
  'user-agent': USER_AGENTS[i % USER_AGENTS.length]!,
  'x-forwarded-for': ip,
}));
