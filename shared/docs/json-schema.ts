// JSON Schema (2020-12) of every event type, generated from the catalog's valibot schemas;
// each property keeps its ClickHouse column type as `x-clickhouse`.
import { toJsonSchema } from '@valibot/to-json-schema';
import type { Catalog } from '../mod.ts';

type JsonObject = Record<string, unknown>;

export function eventJsonSchema(catalog: Catalog): JsonObject {
  const defs: Record<string, JsonObject> = {};
  for (const type of catalog.types) {
    const schema = toJsonSchema(type.schema, { errorMode: 'ignore', typeMode: 'input' }) as JsonObject;
    delete schema.$schema;
    const properties = schema.properties as Record<string, JsonObject>;
    if (type.role !== 'fallback') {
      properties.event = {
        enum: [type.name, type.key],
        description: 'Names this type when posted to /v1/events; not needed on /v1/events/{type}.',
      };
    }
    defs[type.name] = {
      title: type.name,
      description: `${type.description} Stored in table \`${type.table}\`; event time \`${type.timeField}\`.`,
      'x-event-key': type.key,
      'x-clickhouse-table': type.table,
      ...schema,
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://edge-events.dev/schemas/events.json',
    title: 'edge-events event',
    description: 'One event as a client sends it. Generated from shared/catalog; do not edit.',
    oneOf: Object.keys(defs).map((name) => ({ $ref: `#/$defs/${name}` })),
    $defs: defs,
  };
}
