// The API docs page: Swagger UI (from swagger-ui-dist, loaded by the page before this script) over the collector's
// and the reading API's OpenAPI documents, one after the other.
declare const SwaggerUIBundle: (options: Record<string, unknown>) => unknown;

for (const [dom, url] of [
  ['#collector-docs', '/console/api/openapi/collector.json'],
  ['#reader-docs', '/console/api/openapi/reader.json'],
]) {
  SwaggerUIBundle({ dom_id: dom, url, layout: 'BaseLayout', deepLinking: false });
}
