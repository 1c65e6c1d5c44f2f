// autocannon sending a list of requests in turn (each connection cycles through them), as its own process, for
// loads whose requests differ in their headers (the enrichment rows' client addresses and user agents), which
// autocannon's command line cannot send. Reads its options as JSON on stdin and writes autocannon's JSON result to
// stdout, as `autocannon -j` does.
import { createRequire } from 'node:module';

interface Options {
  url: string;
  body: string;
  /** Each request's headers (content-type added); requests go out in this order on every connection. */
  headers: Record<string, string>[];
  connections: number;
  seconds: number;
}

const autocannon = createRequire(import.meta.url)('autocannon') as (opts: object) => Promise<unknown>;

let input = '';
for await (const chunk of process.stdin) input += chunk;
const o = JSON.parse(input) as Options;
const result = await autocannon({
  url: o.url,
  connections: o.connections,
  duration: o.seconds,
  requests: o.headers.map((h) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...h },
    body: o.body,
  })),
});
process.stdout.write(JSON.stringify(result));
