// Body parsing by content type: JSON, arrays, NDJSON (bad lines are per-event), forms, and refusals.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_JSON_DEPTH, nestedTooDeep, parseBody } from './body.ts';
import { HttpError } from './http-error.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

async function refused(contentType: string | undefined, body: string | Uint8Array): Promise<HttpError> {
  try {
    await parseBody(contentType, typeof body === 'string' ? bytes(body) : body);
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

test('JSON object, JSON array, and no content type at all', async () => {
  assert.equal(await parseBody('application/json; charset=utf-8', bytes('{"a":1}')), {
    items: [{ ok: true, value: { a: 1 } }],
    batch: false,
    form: false,
  });
  const arr = await parseBody('application/json', bytes('[{"a":1},{"a":2}]'));
  assert.is(arr.items.length, 2);
  assert.ok(arr.batch);
  assert.is((await parseBody(undefined, bytes('{"a":1}'))).items.length, 1);
});

test('NDJSON: one event per line, blank lines skipped, a bad line is one rejected item', async () => {
  const r = await parseBody('application/x-ndjson', bytes('{"a":1}\n\n{oops\r\n{"a":3}\n'));
  assert.equal(
    r.items.map((i) => i.ok),
    [true, false, true],
  );
  assert.ok(r.batch);
});

test('urlencoded and multipart forms give string values', async () => {
  const url = await parseBody(
    'application/x-www-form-urlencoded',
    bytes('dt=2025-03-01T11%3A11%3A11Z&event=test&userid=1'),
  );
  assert.equal(url.items[0], { ok: true, value: { dt: '2025-03-01T11:11:11Z', event: 'test', userid: '1' } });
  assert.ok(url.form);
  const fd = new FormData();
  fd.append('event', 'pay');
  fd.append('amount', '100');
  const req = new Request('http://x/', { method: 'POST', body: fd });
  const mp = await parseBody(req.headers.get('content-type')!, new Uint8Array(await req.arrayBuffer()));
  assert.equal(mp.items[0], { ok: true, value: { event: 'pay', amount: '100' } });
});

test('refusals: 415 unknown type, 400 empty, bad JSON, bad UTF-8, empty array, file upload', async () => {
  assert.is((await refused('text/csv', 'a,b')).status, 415);
  assert.is((await refused('application/json', '')).status, 400);
  assert.match((await refused('application/json', '{"a":')).message, /invalid JSON/);
  assert.match((await refused('application/json', new Uint8Array([0xc3, 0x28]))).message, /UTF-8/);
  assert.is((await refused('application/json', '[]')).status, 400);
  assert.is((await refused('application/x-ndjson', '\n\n')).status, 400);
  const fd = new FormData();
  fd.append('file', new Blob(['x']), 'x.txt');
  const req = new Request('http://x/', { method: 'POST', body: fd });
  const err = await refused(req.headers.get('content-type')!, new Uint8Array(await req.arrayBuffer()));
  assert.match(err.message, /file/);
});

test('JSON nested deeper than the limit: 400 before it is parsed, a per-event refusal in NDJSON', async () => {
  const nest = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;
  assert.not.ok(nestedTooDeep(nest(MAX_JSON_DEPTH)));
  assert.ok(nestedTooDeep(nest(MAX_JSON_DEPTH + 1)));
  assert.ok(nestedTooDeep(`{"a":${nest(MAX_JSON_DEPTH, '{"b":', '}')}}`));
  // Brackets inside strings (escaped quotes too) are text, not nesting.
  const inString = `{"a":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`;
  assert.not.ok(nestedTooDeep(inString));
  assert.equal((await parseBody('application/json', bytes(inString))).items.length, 1);
  // An escaped backslash ends before the quote: what follows is outside the string again.
  const afterBackslash = `{"a":"x\\\\","b":${nest(MAX_JSON_DEPTH)}}`;
  assert.ok(nestedTooDeep(afterBackslash));
  assert.not.ok(nestedTooDeep(`{"a":"x\\\\","b":${nest(MAX_JSON_DEPTH - 1)}}`));
  JSON.parse(afterBackslash);
  // A body that would make JSON.parse, validation or serialising recurse ~100k levels.
  const bomb = `{"event":"x","extra":${nest(100_000)}}`;
  const err = await refused('application/json', bomb);
  assert.is(err.status, 400);
  assert.match(err.message, /nested deeper than 64 levels/);
  assert.is((await refused('application/json', `[${bomb}]`)).status, 400);
  const lines = await parseBody('application/x-ndjson', bytes(`{"a":1}\n${bomb}\n{"a":2}`));
  assert.equal(
    lines.items.map((i) => i.ok),
    [true, false, true],
  );
  assert.match(JSON.stringify(lines.items[1]), /nested deeper/);
});

test.run();
