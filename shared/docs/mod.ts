// shared/docs: the catalog as people and client code read it — the collector's OpenAPI document, the JSON Schema of
// every event, TypeScript types for SDK calls, an example event of each type, and the files `npm run generate` checks
// in (shared/docs/generated/). Runtime-neutral: the collector serves its OpenAPI document on every runtime.
export { openApiDocument } from './openapi.ts';
export { exampleEvent } from './examples.ts';
export { generatedFiles } from './generated-files.ts';
