// The diff between two catalog versions says which changes are compatible and what to do instead of the others.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogFromSources, type CatalogSource } from '../mod.ts';
import { describeCatalogChange, diffCatalogs } from './diff.ts';

const fixture = (name: string): CatalogSource => ({
  file: `test/support/catalogs/${name}`,
  text: readFileSync(`test/support/catalogs/${name}`, 'utf8'),
});
const v1 = catalogFromSources([fixture('signup-v1.yaml')]);

test('diff: compatible changes applied, breaking ones refused with what to do instead', () => {
  const v2 = catalogFromSources([fixture('signup-v2.yaml')]);
  const breaking = catalogFromSources([fixture('signup-breaking.yaml')]);
  assert.equal(diffCatalogs(v1, v2).map(describeCatalogChange), [
    'compatible  SignupCompleted.referrer: new field (a column is added before any event carrying it is accepted)',
  ]);
  const refused = diffCatalogs(v1, breaking);
  assert.is(refused.length, 1);
  assert.equal([refused[0]!.field, refused[0]!.compatible], ['seats', false]);
  assert.match(
    describeCatalogChange(refused[0]!),
    /REFUSED .*seats: type Int32 → String — instead, declare a new field/,
  );
  const edit = (from: string, to: string) =>
    diffCatalogs(v1, catalogFromSources([{ file: 'x.yaml', text: fixture('signup-v1.yaml').text.replace(from, to) }]));
  const verdicts = (changes: ReturnType<typeof edit>) => changes.map((c) => `${c.field ?? '-'} ${c.compatible}`);
  assert.equal(
    verdicts(edit('coupon:   { type: string, optional: true, nullable: true }', 'coupon: { type: string }')),
    ['coupon false'],
  );
  assert.equal(verdicts(edit('      coupon:   { type: string, optional: true, nullable: true }\n', '')), [
    'coupon true',
  ]);
  assert.equal(verdicts(edit('max: 1000', 'max: 5000')), ['seats true']);
  assert.equal(verdicts(edit('order_by: [signed_up_at, user_id]', 'order_by: [user_id]')), ['- false']);
  assert.equal(verdicts(edit('table: signup_completed', 'table: signups')), ['- false']);
  assert.equal(verdicts(edit('      coupon:', '      vip: { type: bool }\n      coupon:')), ['vip false']);
});

test.run();
