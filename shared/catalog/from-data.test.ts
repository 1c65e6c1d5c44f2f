// A catalog from data (a published version's types): the same schema and compile as the files, so every name that
// reaches SQL, DDL, a subject or a path is a plain identifier; anything else is refused naming where, never compiled.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadCatalogFiles } from '../node/mod.ts';
import { CatalogError } from './load.ts';
import { catalogFromData } from './from-data.ts';

const shipped = loadCatalogFiles('catalog');
const specs = () => structuredClone(shipped.types.map((t) => t.spec)) as Record<string, any>[];
const one = (change: (spec: Record<string, any>) => void) => {
  const spec: Record<string, any> = {
    name: 'Signup',
    description: 'a signup',
    time: 'at',
    fields: { at: { type: 'datetime' }, user_id: { type: 'id' }, plan: { type: 'string', optional: true } },
  };
  change(spec);
  return [spec];
};
const refusal = (types: unknown) => {
  try {
    catalogFromData(types, 7);
  } catch (err) {
    assert.instance(err, CatalogError);
    return (err as Error).message;
  }
  return assert.unreachable('should have been refused') as never;
};

test('the specs of a catalog read from files make the same catalog as data', () => {
  const catalog = catalogFromData(specs(), 3);
  assert.is(catalog.version, 3);
  assert.equal(
    catalog.types.map((t) => [t.name, t.key, t.table, t.timeField, t.orderBy]),
    shipped.types.map((t) => [t.name, t.key, t.table, t.timeField, t.orderBy]),
  );
  assert.equal(
    catalog.types.map((t) => t.spec),
    shipped.types.map((t) => t.spec),
  );
});

test('every name a type carries must be a plain identifier', () => {
  for (const [poison, where] of [
    [(s: any) => (s.table = 'x; DROP TABLE events'), /types\[0\]\.table: expected a table name/],
    [(s: any) => (s.table = '../../escape'), /types\[0\]\.table/],
    [(s: any) => (s.key = 'a.b'), /types\[0\]\.key/],
    [(s: any) => (s.name = 'Sign up`'), /types\[0\]\.name/],
    [(s: any) => (s.fields['pl`an'] = { type: 'int' }), /types\[0\]\.fields\["pl`an"\]/],
    [(s: any) => (s.fields['a b'] = { type: 'int' }), /types\[0\]\.fields\["a b"\]/],
    [(s: any) => (s.time = 'at`) DROP'), /types\[0\]\.time/],
    [(s: any) => (s.order_by = ['at', 'user_id) SETTINGS x=1 --']), /types\[0\]\.order_by\[1\]/],
    [(s: any) => (s.aliases = { uid: 'user_id`' }), /types\[0\]\.aliases\.uid/],
    [(s: any) => (s.latest = { table: 'l', by: ['user_id'], version: 'at', fields: ['x`'] }), /latest\.fields\[0\]/],
    [(s: any) => (s.latest = { table: 'l', by: ['user_id'], version: "at')", fields: ['at'] }), /latest\.version/],
    [(s: any) => (s.latest = { table: '/etc', by: ['user_id'], version: 'at', fields: ['at'] }), /latest\.table/],
    [(s: any) => (s.ttl = '90d; DROP'), /types\[0\]\.ttl/],
    [(s: any) => (s.partition_by = 'x'), /types\[0\]/],
  ] as const) {
    assert.match(refusal(one(poison)), where);
  }
});

test('names that are not the type’s own fields are refused: order_by, time, aliases, latest', () => {
  assert.match(refusal(one((s) => (s.order_by = ['toString']))), /order_by\[0\]: expected a field name/);
  for (const name of ['constructor', '__proto__', 'valueof']) {
    assert.match(refusal(one((s) => (s.order_by = [name]))), /order_by\[0\]: order_by names/);
    assert.match(refusal(one((s) => (s.time = name))), /types\[0\]\.time: time field/);
    assert.match(refusal(one((s) => (s.aliases = { x: name }))), /aliases/);
    const latest = { table: 'l', by: [name], version: 'at', fields: ['at'] };
    assert.match(refusal(one((s) => (s.latest = latest))), /latest names/);
  }
  assert.match(refusal(one((s) => (s.fields.inserted_at = { type: 'int' }))), /inserted_at is added by the pipeline/);
});

test('data that is not a list of specs is refused, and so are specs that do not compile', () => {
  for (const bad of [null, 'types', {}, [], [null], [1], [{ name: 'A' }]])
    assert.match(refusal(bad), /catalog version 7/);
  const twice = [...one(() => {}), ...one((s) => ((s.name = 'Other'), (s.table = 'signup')))];
  assert.match(refusal(twice), /types\[1\]\.table: table signup is also the table of Signup/);
  const many = Array.from({ length: 500 }, (_, i) => one((s) => (s.table = `bad-${i}`))[0]);
  const message = refusal(many);
  assert.ok(message.split('\n').length <= 21, 'a refusal names at most 20 problems');
  const long = refusal(one((s) => (s.unknown_fields = 'x'.repeat(100_000))));
  assert.ok(long.length < 2000, 'a refusal does not repeat what it refuses at length');
});

test.run();
