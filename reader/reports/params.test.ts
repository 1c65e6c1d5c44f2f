// The reports' parameters, as each report's schema checks them (no server): the range (real UTC dates, from ≤ to, at
// most 366 days, a bad range named on `to`), each report's own parameters with their defaults and bounds, and a bad
// one named in the 400 the reader answers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answerOf, ReaderError } from '../errors/mod.ts';
import { paramsOf, parseQuery } from '../params.ts';
import { reports } from './mod.ts';

const report = (name: string) => reports.find((r) => r.name === name)!;
/** The parsed parameters of a report, or `path: message` of each issue. */
const parse = (name: string, query: Record<string, string>) => {
  const parsed = parseQuery(report(name).params, query);
  return parsed.ok ? parsed.value : parsed.issues.map((i) => `${i.path}: ${i.message}`);
};
const JUNE = { from: '2024-06-01', to: '2024-06-30' };

test('every report takes a range: from and to, both required', () => {
  for (const r of reports) {
    const got = parse(r.name, {});
    assert.ok(Array.isArray(got), r.name);
    assert.equal(
      (got as string[]).filter((i) => /^(from|to):/.test(i)).map((i) => i.split(':')[0]),
      ['from', 'to'],
      r.name,
    );
  }
});

test('the range: dates such as 2024-06-01 that exist', () => {
  assert.equal(parse('activity', JUNE), { ...JUNE, bots: 'exclude' });
  assert.equal(parse('lag', { from: '2024-02-29', to: '2024-02-29' }), { from: '2024-02-29', to: '2024-02-29' });
  // A bad date is named; the range's own checks still run on what was given, and may name `to` too.
  const named = (query: Record<string, string>, issue: string) => {
    const got = parse('activity', query);
    assert.ok(Array.isArray(got) && got.includes(issue), `${JSON.stringify(query)}: ${JSON.stringify(got)}`);
  };
  named({ from: '2024-6-1', to: '2024-06-30' }, 'from: expected a date such as 2024-06-01');
  named({ from: '2024-06-01', to: '2024-02-30' }, 'to: not a real date');
  named({ from: '2023-02-29', to: '2023-03-01' }, 'from: not a real date');
  named({ from: '2024-06-01', to: 'June' }, 'to: expected a date such as 2024-06-01');
});

test('the range: from after to, or longer than 366 days, is named on to', () => {
  assert.equal(parse('activity', { from: '2024-06-02', to: '2024-06-01' }), ['to: from is after to']);
  assert.equal(parse('solve-ratio', { from: '2023-01-01', to: '2024-01-01' }), {
    from: '2023-01-01',
    to: '2024-01-01',
  });
  assert.equal(parse('solve-ratio', { from: '2023-01-01', to: '2024-01-02' }), ['to: at most 366 days']);
});

test('daily: a type, required and not empty; bots left out unless included', () => {
  assert.equal(parse('daily', { ...JUNE, type: 'PageVisit' }), { ...JUNE, type: 'PageVisit', bots: 'exclude' });
  assert.equal(parse('daily', { ...JUNE, type: 'PageVisit', bots: 'include' }), {
    ...JUNE,
    type: 'PageVisit',
    bots: 'include',
  });
  assert.equal(parse('daily', { ...JUNE, type: 'PageVisit', bots: 'yes' }), [
    'bots: Invalid type: Expected ("exclude" | "include") but received "yes"',
  ]);
  assert.equal(parse('daily', JUNE), ['type: Invalid key: Expected "type" but received undefined']);
  assert.equal(parse('daily', { ...JUNE, type: '' }), ['type: Invalid length: Expected >=1 but received 0']);
});

test('audience: a type, a cut (country when left out) among those enrichment adds', () => {
  assert.equal(parse('audience', { ...JUNE, type: 'events' }), {
    ...JUNE,
    type: 'events',
    by: 'country',
    bots: 'exclude',
  });
  assert.equal(parse('audience', { ...JUNE, type: 'events', by: 'email' }), [
    'by: Invalid type: Expected ("country" | "device_type" | "browser" | "os") but received "email"',
  ]);
});

test('task funnel: window_seconds, whole seconds from 1 to 30 days, an hour when left out', () => {
  assert.equal(parse('task-funnel', JUNE), { ...JUNE, window_seconds: 3600 });
  assert.equal(parse('task-funnel', { ...JUNE, window_seconds: '2592000' }), { ...JUNE, window_seconds: 2_592_000 });
  for (const bad of ['0', '2592001', '1.5', 'an hour', '-1']) {
    const got = parse('task-funnel', { ...JUNE, window_seconds: bad });
    assert.ok(Array.isArray(got) && got.length === 1 && got[0]!.startsWith('window_seconds: '), `${bad}: ${got}`);
  }
  assert.equal(parse('task-funnel', { ...JUNE, window_seconds: 'x' }), [
    'window_seconds: expected a whole number of seconds',
  ]);
});

test('sessions: timeout_seconds from 1 to a day, 30 minutes when left out; the type optional', () => {
  assert.equal(parse('sessions', JUNE), { ...JUNE, timeout_seconds: 1800 });
  assert.equal(parse('sessions', { ...JUNE, timeout_seconds: '86400', type: 'PageVisit' }), {
    ...JUNE,
    timeout_seconds: 86_400,
    type: 'PageVisit',
  });
  assert.equal(parse('sessions', { ...JUNE, timeout_seconds: '86401' }), [
    'timeout_seconds: Invalid value: Expected <=86400 but received 86401',
  ]);
  assert.equal(parse('sessions', { ...JUNE, type: '' }), ['type: Invalid length: Expected >=1 but received 0']);
});

test('a bad parameter is a ReaderError: a 400 naming each', () => {
  const err = (() => {
    try {
      paramsOf(report('task-funnel').params, { from: '2024-06-01', to: 'June', window_seconds: '0' });
    } catch (e) {
      return e;
    }
  })();
  assert.instance(err, ReaderError);
  const { status, body } = answerOf(err as ReaderError);
  assert.is(status, 400);
  assert.is(body.error, 'invalid parameters');
  assert.equal([...new Set(body.issues?.map((i) => i.path))].sort(), ['to', 'window_seconds']);
});

test.run();
