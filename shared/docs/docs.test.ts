// The documents made from the shipped catalog: the checked-in generated files are current, and an example event of
// every type passes its own validation, and the README's table of settings is current.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateEvent } from '../mod.ts';
import { loadCatalogFiles } from '../node/mod.ts';
import { exampleEvent } from './examples.ts';
import { generatedFiles } from './generated-files.ts';

const catalog = loadCatalogFiles('catalog');
const eventTypes = catalog.types;
test('checked-in generated files are current (npm run generate)', () => {
  const files = generatedFiles(catalog, readFileSync('README.md', 'utf8'));
  for (const [path, content] of Object.entries(files)) {
    assert.ok(readFileSync(path, 'utf8') === content, `${path} is stale: run npm run generate`);
  }
  const schema = JSON.parse(files['shared/docs/generated/events.schema.json']!);
  assert.is(Object.keys(schema.$defs).length, eventTypes.length);
  assert.equal(schema.$defs.LoggingIn.properties.login_type.maximum, 2);
  assert.is(schema.$defs.MovieView.properties.user_id['x-clickhouse'], 'UUID');
});

test('an example event of every type, made from the catalog, passes its own validation', () => {
  for (const type of eventTypes) {
    for (const n of [0, 1, 2, 7]) {
      const example = exampleEvent(type, n, Date.UTC(2024, 5, 1, 12));
      const checked = validateEvent(type, example);
      assert.ok(checked.ok, `${type.name} #${n}: ${JSON.stringify(checked)}`);
      // A type with a field of its own called `event` (the Segment table) is reached through /v1/events/{type}.
      if (!('event' in type.fields) || type === catalog.fallback)
        assert.is(catalog.of(example), type, `${type.name} #${n}`);
    }
  }
});
test.run();
