// The one retry logic, against real inputs for every target: error texts of ClickHouse 18.16 (HTTP), chDB 26.7
// (ClickHouseError) and Node's network stack for inserts; statuses (redirects not followed) and no-answers from an
// HTTP server in this process on loopback (webhooks) — each with its decision. What a real nats-server answers a
// publish (the NATS relay) is decided in test/publish-errors.test.ts.
import { createServer } from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errorCode } from '../shared/clickhouse/mod.ts';
import { retryDelayMs } from '../shared/mod.ts';
import { decideHttp, decideInsert, decideNoAnswer, isMissingSchema, retryAfterMs } from './retry-logic.ts';

const old = (text: string) => new Error(`${text}, e.what() = DB::Exception\n`);
const chdb = (code: string, type: string, message: string) => Object.assign(new Error(message), { code, type });
const sys = (code: string, message: string) => Object.assign(new Error(message), { code });

const TABLE: [label: string, err: unknown, kind: 'retry' | 'dead-letter', code?: number][] = [
  [
    '18.16 garbage JSON',
    old('Code: 26, e.displayText() = DB::Exception: Cannot parse JSON string: expected opening quote: (at row 1)\n'),
    'dead-letter',
    26,
  ],
  [
    '18.16 string into Int64',
    old(
      'Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected " before: abc"}\\n: ' +
        '(while read the value of key n): (at row 1)\n',
    ),
    'dead-letter',
    27,
  ],
  [
    '18.16 bad DateTime',
    old(
      'Code: 41, e.displayText() = DB::Exception: Cannot parse datetime: (while read the value of key d): (at row 1)\n',
    ),
    'dead-letter',
    41,
  ],
  [
    '18.16 bad UUID',
    old(
      'Code: 376, e.displayText() = DB::Exception: Cannot parse uuid nope"}\n: ' +
        '(while read the value of key u): (at row 1)\n',
    ),
    'dead-letter',
    376,
  ],
  [
    '18.16 unknown field',
    old(
      'Code: 117, e.displayText() = DB::Exception: Unknown field found while parsing JSONEachRow format: ' +
        'zzz: (at row 1)\n',
    ),
    'dead-letter',
    117,
  ],
  [
    '18.16 truncated row',
    old(
      'Code: 33, e.displayText() = DB::Exception: Unexpected end of stream while parsing JSONEachRow format: ' +
        '(at row 1)\n',
    ),
    'dead-letter',
    33,
  ],
  [
    '18.16 MV type mismatch',
    old(
      'Code: 53, e.displayText() = DB::Exception: Type mismatch for column off. ' +
        'Column has type Int64, got type Nullable(Int64): while pushing to view t.lv_mv',
    ),
    'dead-letter',
    53,
  ],
  [
    '18.16 number parse',
    old('Code: 72, e.displayText() = DB::Exception: Unrecognized data type or incorrect number: 1.2.3'),
    'dead-letter',
    72,
  ],
  [
    '18.16 cannot parse text',
    old("Code: 6, e.displayText() = DB::Exception: Cannot parse string 'x' as UInt8: syntax error at begin of string."),
    'dead-letter',
    6,
  ],
  ['18.16 unknown table', old("Code: 60, e.displayText() = DB::Exception: Table e.nope doesn't exist."), 'retry', 60],
  [
    '18.16 unknown database',
    old("Code: 81, e.displayText() = DB::Exception: Database nodb doesn't exist"),
    'retry',
    81,
  ],
  [
    '18.16 memory limit',
    old(
      'Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded: would use 2.00 MiB ' +
        '(attempt to allocate chunk of 4096 bytes), maximum: 976.56 KiB',
    ),
    'retry',
    241,
  ],
  [
    'chDB garbage JSON',
    chdb(
      '26',
      'CANNOT_PARSE_QUOTED_STRING',
      'Cannot parse JSON string: expected opening quote: (at row 1)\n: ' +
        'While executing ParallelParsingBlockInputFormat. ',
    ),
    'dead-letter',
    26,
  ],
  [
    'chDB string into Int64',
    chdb(
      '27',
      'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
      "Cannot parse input: expected '\"' before: 'abc\"}\\n': (while reading the value of key n): (at row 1)",
    ),
    'dead-letter',
    27,
  ],
  [
    'chDB bad DateTime',
    chdb(
      '41',
      'CANNOT_PARSE_DATETIME',
      'Cannot read DateTime: unexpected word: (while reading the value of key d): (at row 1)',
    ),
    'dead-letter',
    41,
  ],
  [
    'chDB bad UUID',
    chdb('376', 'CANNOT_PARSE_UUID', 'Cannot parse uuid nope"}\n: (while reading the value of key u): (at row 1)'),
    'dead-letter',
    376,
  ],
  [
    'chDB truncated row',
    chdb('33', 'CANNOT_READ_ALL_DATA', 'Unexpected end of stream while parsing JSONEachRow format: (at row 1)'),
    'dead-letter',
    33,
  ],
  [
    'chDB unknown table',
    chdb('60', 'UNKNOWN_TABLE', 'Table e.nope does not exist. Maybe you meant system.one?. '),
    'retry',
    60,
  ],
  [
    'chDB memory limit',
    chdb(
      '241',
      'MEMORY_LIMIT_EXCEEDED',
      'Query memory limit exceeded: would use 1.06 MiB (attempt to allocate chunk of 0.00 B), maximum: 976.56 KiB.',
    ),
    'retry',
    241,
  ],
  [
    '23.x too many parts',
    new Error(
      'Code: 252. DB::Exception: Too many parts (300 with average size of 1.02 MiB) ' +
        "in table 'edge_events.events (uuid)'. Merges are processing significantly slower than inserts. " +
        '(TOO_MANY_PARTS) (version 23.8.1.1)',
    ),
    'retry',
    252,
  ],
  [
    '23.x shutting down',
    new Error('Code: 210. DB::NetException: Connection refused (127.0.0.1:9000). (NETWORK_ERROR) (version 23.8.1.1)'),
    'retry',
    210,
  ],
  [
    '23.x query timeout',
    new Error(
      'Code: 159. DB::Exception: Timeout exceeded: elapsed 30.0 seconds, maximum: 30. ' +
        '(TIMEOUT_EXCEEDED) (version 23.8.1.1)',
    ),
    'retry',
    159,
  ],
  [
    '23.x readonly replica',
    new Error(
      'Code: 242. DB::Exception: Table is in readonly mode (replica path: /clickhouse/tables/1/events). ' +
        '(TABLE_IS_READ_ONLY) (version 23.8.1.1)',
    ),
    'retry',
    242,
  ],
  ['connection refused', sys('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8123'), 'retry'],
  ['connection reset', sys('ECONNRESET', 'read ECONNRESET'), 'retry'],
  ['socket hang up', sys('ECONNRESET', 'socket hang up'), 'retry'],
  ['client timeout', new Error('Timeout error.'), 'retry'],
  ['anything unknown', new Error('something odd happened'), 'retry'],
];

for (const [label, err, kind, code] of TABLE) {
  test(`insert: ${label} → ${kind}`, () => {
    const d = decideInsert(err);
    assert.is(d.kind, kind);
    if (d.kind !== 'ok') {
      assert.is(d.code, code);
      assert.not.match(d.reason, /\n/);
    }
  });
}

test('no error → ok; codes come from .code or the text', () => {
  assert.equal(decideInsert(), { kind: 'ok' });
  assert.is(errorCode(chdb('27', 'X', 'm')), 27);
  assert.is(errorCode(new Error('Code: 117, e.displayText() = …')), 117);
  assert.is(errorCode(sys('ECONNRESET', 'read ECONNRESET')), undefined);
  assert.ok(
    isMissingSchema(decideInsert(old("Code: 60, e.displayText() = DB::Exception: Table e.nope doesn't exist."))),
  );
});

test('retry delay grows exponentially, is capped, and is jittered within [half, full]', () => {
  assert.is(
    retryDelayMs(1, 1000, 60_000, () => 1),
    1000,
  );
  assert.is(
    retryDelayMs(1, 1000, 60_000, () => 0),
    500,
  );
  assert.is(
    retryDelayMs(4, 1000, 60_000, () => 1),
    8000,
  );
  assert.is(
    retryDelayMs(30, 1000, 60_000, () => 1),
    60_000,
  );
  assert.is(
    retryDelayMs(30, 1000, 60_000, () => 0),
    30_000,
  );
});

test('webhook: statuses and no-answers from a real HTTP server, decided', async () => {
  const server = createServer((req, res) => {
    const [, status, retryAfter] = req.url!.split('/');
    if (status === 'hang') return; // never answers
    const location = status!.startsWith('3') ? { location: 'http://127.0.0.1:1/elsewhere' } : {};
    res.writeHead(Number(status), { ...location, ...(retryAfter ? { 'retry-after': retryAfter } : {}) }).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // As the webhook relay asks: redirects are answers, never followed.
  const answer = async (path: string) => {
    try {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        body: '{}',
        redirect: 'manual',
        signal: AbortSignal.timeout(300),
      });
      return decideHttp(res.status, res.headers.get('retry-after'));
    } catch (err) {
      return decideNoAnswer(err);
    }
  };
  const TABLE: [path: string, kind: string, retryAfterMs?: number][] = [
    ['/200', 'ok'],
    ['/202', 'ok'],
    ['/204', 'ok'],
    ['/301', 'retry'],
    ['/302', 'retry'],
    ['/307/2', 'retry', 2000],
    ['/308', 'retry'],
    ['/408', 'retry'],
    ['/429/3', 'retry', 3000],
    ['/500', 'retry'],
    ['/502', 'retry'],
    ['/503/1', 'retry', 1000],
    ['/400', 'dead-letter'],
    ['/401', 'dead-letter'],
    ['/404', 'dead-letter'],
    ['/413', 'dead-letter'],
    ['/422', 'dead-letter'],
    ['/hang', 'retry'],
  ];
  try {
    for (const [path, kind, after] of TABLE) {
      const d = await answer(path);
      assert.is(d.kind, kind, path);
      if (after !== undefined) assert.is((d as { retryAfterMs?: number }).retryAfterMs, after, path);
    }
    const refused = await fetch('http://127.0.0.1:1/').then(() => undefined, decideNoAnswer);
    assert.is(refused?.kind, 'retry');
    assert.match(refused!.reason, /ECONNREFUSED|bad port/);
  } finally {
    server.close();
  }
  assert.is(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT')), 2000);
  assert.is(retryAfterMs('soon'), undefined);
});

test.run();
