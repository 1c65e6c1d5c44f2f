// The registry, the routes and the OpenAPI document agree (no server): every report has its GET route and its path
// in the document, with its summary, its parameters as its schema takes them, and an answer schema generated from
// its row schema; nothing under /v1/reports/ exists that the registry does not list.
import { toJsonSchema } from '@valibot/to-json-schema';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Catalog } from '../../shared/mod.ts';
import type { ClickHouse } from '../../shared/clickhouse/mod.ts';
import { readerApp } from '../app.ts';
import { readerOpenApi } from '../openapi.ts';
import { parametersOf, reportPath, reports } from './mod.ts';

const PREFIX = '/v1/reports/';
type Operation = {
  summary: string;
  parameters: { name: string; in: string; required: boolean }[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
const doc = readerOpenApi() as { paths: Record<string, { get?: Operation }> };
const app = readerApp({
  clickhouse: {} as ClickHouse,
  catalog: () => ({}) as Catalog,
  readKeys: [],
  writeKeys: [],
});

test('each report has a name of its own that is a route segment', () => {
  const names = reports.map((r) => r.name);
  assert.is(new Set(names).size, names.length);
  for (const name of names) assert.match(name, /^[a-z][a-z0-9-]*$/);
});

test('a GET route per report, and no other under /v1/reports/', () => {
  const routes = app.routes.filter((r) => r.path.startsWith(PREFIX)).map((r) => `${r.method} ${r.path}`);
  assert.equal(routes.sort(), reports.map((r) => `GET ${reportPath(r)}`).sort());
});

test('an OpenAPI path per report, and no other under /v1/reports/', () => {
  const paths = Object.keys(doc.paths).filter((p) => p.startsWith(PREFIX));
  assert.equal(paths, reports.map(reportPath));
});

test("each report's path: its summary, its parameters, its answer generated from its row schema", () => {
  for (const report of reports) {
    const op = doc.paths[reportPath(report)]!.get!;
    assert.is(op.summary, report.summary, report.name);
    assert.equal(
      op.parameters.map((p) => [p.name, p.in, p.required]),
      parametersOf(report).map((p) => [p.name, 'query', p.required]),
      report.name,
    );
    assert.ok(
      op.parameters.some((p) => p.name === 'from' && p.required),
      report.name,
    );
    const { $schema: _, ...row } = toJsonSchema(report.row);
    assert.equal(
      op.responses['200']!.content!['application/json']!.schema,
      { type: 'object', properties: { rows: { type: 'array', items: row } }, required: ['rows'] },
      report.name,
    );
  }
});

test.run();
