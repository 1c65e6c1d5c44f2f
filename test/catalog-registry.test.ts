// The catalog registry on a real nats-server: versions count up from 1; two publishers racing from the same version
// publish one (compare-and-set), the other is told to read again; followers get every newer version and never an
// older one; the history remembers every version's digest; a reader bound before the bucket existed reads it later.
import * as assert from 'uvu/assert';
import { catalogFromSources } from '../shared/mod.ts';
import { digestOf, followCatalog, openCatalogRegistry } from '../streams/mod.ts';
import { defaultCatalog, natsSuite, waitFor } from './support/mod.ts';

const test = natsSuite('catalog registry');

const specsOf = (text: string) => catalogFromSources([{ file: 'x.yaml', text }]).types.map((t) => t.spec);
const one = (field: string) =>
  specsOf(
    'types:\n  - name: A\n    description: a\n    time: at\n    fields:\n      at: { type: datetime }\n' +
      `      ${field}: { type: int, optional: true }\n`,
  );

test('versions, compare-and-set, following, history', async ({ nc }) => {
  // A reader bound before the bucket exists sees nothing published, then the first version once it is there.
  const reader = await openCatalogRegistry(nc, { create: false });
  assert.equal(await reader.latest(), { revision: 0 }, 'no bucket yet: nothing published');
  assert.equal(await reader.history(), []);
  const registry = await openCatalogRegistry(nc, { create: true });
  const empty = await registry.latest();
  assert.equal(empty, { revision: 0 });
  const v1 = await registry.publish(one('x'), empty);
  assert.is(v1?.version, 1);
  assert.is((await reader.latest()).published?.version, 1, 'the bound reader reads the bucket made since');
  const seen: number[] = [];
  const live = await followCatalog(registry, defaultCatalog());
  live.onChange((c) => seen.push(c.version));
  await waitFor('the follower to take version 1', async () => (live.current().version === 1 ? true : undefined));

  const read = await registry.latest();
  const [a, b] = await Promise.all([registry.publish(one('y'), read), registry.publish(one('z'), read)]);
  assert.is([a, b].filter(Boolean).length, 1, 'one of two racing publishers wins');
  assert.is((a ?? b)!.version, 2);
  await waitFor('the follower to take version 2', async () => (live.current().version === 2 ? true : undefined));
  assert.equal(seen, [1, 2]);
  assert.ok('y' in live.current().types[0]!.fields || 'z' in live.current().types[0]!.fields);
  const history = await registry.history();
  assert.equal(
    history.map((h) => h.version),
    [1, 2],
  );
  assert.is(history[0]!.digest, digestOf(one('x')));
  live.stop();
});

test.run();
