// Writes the checked-in artefacts generated from the catalog (DDL, JSON Schema, OpenAPI), or with --check
// exits 1 when they are stale. `npm run generate` after changing a schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalogDdl } from './ddl.ts';
import { eventJsonSchema } from './json-schema.ts';
import { openApiDocument } from './openapi.ts';

export const generatedFiles = (): Record<string, string> => ({
  'generated/schema.sql':
    '-- ClickHouse DDL for database edge_events, generated from shared/catalog (npm run generate).\n\n' +
    catalogDdl('edge_events')
      .map((s) => `${s};\n`)
      .join('\n'),
  'generated/events.schema.json': `${JSON.stringify(eventJsonSchema(), null, 2)}\n`,
  'generated/openapi.json': `${JSON.stringify(openApiDocument(), null, 2)}\n`,
});

export const generatedPath = (name: string) => fileURLToPath(new URL(name, import.meta.url));

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [name, content] of Object.entries(generatedFiles())) {
    let current = '';
    try {
      current = readFileSync(generatedPath(name), 'utf8');
    } catch {}
    if (current === content) continue;
    stale++;
    if (check) console.error(`stale: shared/catalog/${name}`);
    else (writeFileSync(generatedPath(name), content), console.log(`wrote shared/catalog/${name}`));
  }
  if (check && stale) process.exit(1);
}
