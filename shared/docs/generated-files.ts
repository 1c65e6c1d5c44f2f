// The artefacts generated from a catalog and checked in under shared/docs/generated/: ClickHouse DDL, the JSON
// Schema of every event, the collector's OpenAPI document, TypeScript types for client code (`npm run generate`
// writes them, and the README's table of settings; a test fails when stale).
import type { Catalog } from '../mod.ts';
import { catalogDdl } from '../schema/mod.ts';
import { eventJsonSchema } from './json-schema.ts';
import { openApiDocument } from './openapi.ts';
import { sdkTypes } from './sdk-types.ts';
import { withSettingsTable } from './settings-table.ts';

/** Their paths, relative to the repository, and their contents; with the README's text, the README with its table of
 *  settings made current. */
export const generatedFiles = (catalog: Catalog, readme?: string): Record<string, string> => ({
  ...(readme === undefined ? {} : { 'README.md': withSettingsTable(readme) }),
  'shared/docs/generated/schema.sql':
    '-- ClickHouse DDL for database edge_events, generated from catalog/ (npm run generate).\n\n' +
    catalogDdl(catalog, 'edge_events')
      .map((s) => `${s};\n`)
      .join('\n'),
  'shared/docs/generated/events.schema.json': `${JSON.stringify(eventJsonSchema(catalog), null, 2)}\n`,
  'shared/docs/generated/openapi.json': `${JSON.stringify(openApiDocument(catalog), null, 2)}\n`,
  'shared/docs/generated/events.ts': sdkTypes(catalog),
});
