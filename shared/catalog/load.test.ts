// Catalog files as a team writes them: the issue's minimal example and every field kind compile and validate as
// declared; malformed files of many kinds stop with a message naming the file, the line, the type and the field.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CatalogError, catalogFromSources, type CatalogSource } from './load.ts';
import { validateEvent } from './validate.ts';

const fixture = (name: string): CatalogSource => ({
  file: `test/support/catalogs/${name}`,
  text: readFileSync(`test/support/catalogs/${name}`, 'utf8'),
});
const v1 = catalogFromSources([fixture('signup-v1.yaml')]);

/** The problems a catalog text is refused with. */
function problems(...texts: string[]): string[] {
  try {
    catalogFromSources(texts.map((text, i) => ({ file: `f${i + 1}.yaml`, text })));
  } catch (err) {
    if (err instanceof CatalogError) return err.problems;
    throw err;
  }
  throw new Error('expected the catalog to be refused');
}

const TYPE = (fields: string, extra = '') => `types:
  - name: Signup
    description: A signup.
    time: at${extra}
    fields:
      at: { type: datetime }
${fields}`;

test("the issue's minimal example: names, table, sort key, and the events it takes and refuses", () => {
  const type = v1.find('signup_completed')!;
  assert.is(type, v1.find('SignupCompleted'));
  assert.is(type.table, 'signup_completed');
  assert.equal(type.orderBy, ['signed_up_at', 'user_id', 'event_id']);
  const ok = validateEvent(type, { signed_up_at: '2024-06-01T12:00:00Z', user_id: 'u1', plan: 'pro', seats: 3 });
  assert.equal(ok, {
    ok: true,
    row: { signed_up_at: '2024-06-01 12:00:00', user_id: 'u1', plan: 'pro', seats: 3, coupon: null },
  });
  const bad = validateEvent(type, { signed_up_at: 'soon', user_id: 'u1', plan: 'gold', seats: 0, nope: 1 });
  assert.equal(bad.ok ? [] : bad.issues.map((i) => i.path), ['signed_up_at', 'plan', 'seats', 'nope']);
});

test('every field kind: uuid lower-cased, bool as 0/1, date, arrays, json as text, alias, unknown fields kept', () => {
  const type = v1.find('DeviceReport')!;
  const event = {
    at: '2024-06-01T12:00:00+02:00',
    device: '46A5143B-9FBE-4483-A9BE-30EBCCF7132C',
    day: '2024-02-29',
    online: false,
    battery: 0.25,
    readings: [3, 4],
    meta: { fw: '1.2' },
    firmware: 'x',
  };
  const ok = validateEvent(type, event);
  assert.ok(ok.ok, JSON.stringify(ok));
  if (ok.ok) {
    assert.equal(ok.row, {
      at: '2024-06-01 10:00:00',
      device_id: '46a5143b-9fbe-4483-a9be-30ebccf7132c',
      day: '2024-02-29',
      online: 0,
      battery: 0.25,
      readings: [3, 4],
      tags: [],
      meta: '{"fw":"1.2"}',
      label: '',
      owner: null,
      extra: '{"firmware":"x"}',
    });
  }
  const bad = validateEvent(type, {
    ...event,
    at: '2024-06-01 12:00:00',
    day: '2023-02-29',
    readings: Array(9).fill(1),
    tags: ['d'],
    meta: [1],
  });
  assert.equal(bad.ok ? [] : bad.issues.map((i) => i.path).sort(), ['at', 'day', 'meta', 'readings', 'tags.0']);
});

test('unknown fields: refused by default, dropped when the type says drop', () => {
  const [refusing, dropping] = ['', '\n    unknown_fields: drop'].map((policy) =>
    catalogFromSources([{ file: 'x.yaml', text: TYPE('', policy) }]).find('Signup')!,
  );
  const event = { at: '2024-06-01T12:00:00Z', event: 'Signup', surprise: 1 };
  const refused = validateEvent(refusing!, event);
  assert.equal(refused.ok ? [] : refused.issues, [
    { path: 'surprise', message: 'Signup has no field surprise (it has at)' },
  ]);
  assert.equal(validateEvent(dropping!, event), { ok: true, row: { at: '2024-06-01 12:00:00' } });
});

test('malformed files: each problem names the file, the line, the type and the field', () => {
  const cases: [string[], RegExp][] = [
    [['types:\n  - name: [unclosed\n'], /^f1\.yaml:[23]: Flow sequence/],
    [['typez: []\n'], /^f1\.yaml:1: .*types is required|typez/],
    [[TYPE('      plan: { type: strng }')], /^f1\.yaml:7: type Signup, field plan: .*"string" \| "id" \| "int"/],
    [[TYPE('      plan: { type: string, optinal: true }')], /^f1\.yaml:7: type Signup, field plan: .*optinal/],
    [[TYPE('', '\n    order_by: [nope]')], /^f1\.yaml:5: type Signup: order_by names "nope", which is not a field/],
    [
      [TYPE('      plan: { type: enum, values: [] }')],
      /^f1\.yaml:7: type Signup, field plan: an enum needs at least one value/,
    ],
    [
      [TYPE('      seats: { type: int, default: many }')],
      /^f1\.yaml:7: type Signup, field seats: the default does not fit/,
    ],
    [
      [TYPE('      event_id: { type: string }')],
      /^f1\.yaml:7: type Signup, field event_id: event_id is added by the pipeline/,
    ],
    [
      [TYPE('      Plan: { type: string }')],
      /^f1\.yaml:7: type Signup, field Plan: expected a field name in snake_case/,
    ],
    [[TYPE('      n: { type: int }\n      n: { type: int }')], /^f1\.yaml:8: .*unique|^f1\.yaml:8: .*[Dd]uplicate/],
    [
      [TYPE('      n: { type: int }').replace('time: at', 'time: n')],
      /^f1\.yaml:4: type Signup: time field n must be a datetime/,
    ],
    [
      [TYPE('      n: { type: int }').replace('time: at', 'time: when')],
      /^f1\.yaml:4: type Signup: time field "when" is not one of/,
    ],
    [[TYPE('', '\n    aliases: { uid: user_id }')], /type Signup: alias uid points to "user_id", which is not a field/],
    [[TYPE(''), TYPE('')], /^f2\.yaml:2: type Signup: name signup is also the name of Signup/],
    // Consent and enrichment: what a type asks for must make sense.
    [
      [TYPE('      plan: { type: enum, values: [a], consent: marketing }')],
      /field plan: stored empty without consent: give the field a default or make it nullable/,
    ],
    [
      [TYPE('      n: { type: int, consent: analytics }', '\n    order_by: [at, n]')],
      /field n: the time field and the sort key cannot depend on consent/,
    ],
    [[TYPE('      n: { type: int, consent: Ads }')], /field n: expected a consent category in snake_case/],
    [
      [TYPE('      country: { type: string }', '\n    enrich: { geo: true }')],
      /field country: country is filled by the type's enrich: do not declare it/,
    ],
    [
      [TYPE('', '\n    enrich: { bots: maybe }')],
      /^f1\.yaml:5: type Signup: .*"flag" \| "drop"\) but received "maybe"/,
    ],
    [[TYPE('      consent: { type: json }')], /field consent: consent is added by the pipeline/],
    [
      [TYPE('', '\n    role: fallback'), TYPE('', '\n    role: fallback').replace('Signup', 'Other')],
      /f2\.yaml:\d+: type Other: Signup already has role fallback/,
    ],
  ];
  for (const [texts, expected] of cases) {
    const got = problems(...texts);
    assert.ok(
      got.some((p) => expected.test(p)),
      `${expected}\n  got: ${got.join('\n       ')}`,
    );
  }
  // Every problem at once, across files.
  assert.is(
    problems(TYPE('      a: { type: nope }'), TYPE('      b: { type: int, min: 5, max: 1 }').replace('Signup', 'Two'))
      .length,
    2,
  );
});

test.run();
