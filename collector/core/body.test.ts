// Body parsing by content type: JSON, arrays, NDJSON (bad lines are per-event), forms, and refusals.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBody } from './body.ts';
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

test.run();
