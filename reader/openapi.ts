// The reading API's OpenAPI 3.1 document: each route's query parameters come from the same valibot schemas that
// check them (params.ts, each report's own), and each report's answer from its row schema — with one path per
// report in the registry (reports/mod.ts) — so the document cannot drift from what the API accepts and answers.
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { martNames } from '../shared/schema/mod.ts';
import { EventsQuery } from './params.ts';
import { reportPath, reports, type Report } from './reports/mod.ts';

type Json = Record<string, unknown>;

/** The query parameters of a schema: one per property, required unless optional. */
function parameters(schema: v.GenericSchema): Json[] {
  const json = toJsonSchema(schema, { errorMode: 'ignore', typeMode: 'input' }) as {
    properties: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(json.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

const errors = {
  '400': {
    description: 'A bad parameter; `issues` names each.',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '401': { description: 'Read keys are configured and this request has none, or an unknown one.' },
  '403': { description: 'A write key: it cannot read.' },
  '501': { description: 'This ClickHouse cannot answer safely (no query parameters), with the reason.' },
};

const route = (summary: string, schema: v.GenericSchema, answer: Json, description?: string) => ({
  get: {
    summary,
    ...(description ? { description } : {}),
    parameters: parameters(schema),
    responses: {
      '200': { description: 'The answer.', content: { 'application/json': { schema: answer } } },
      ...errors,
    },
  },
});

/** A report's answer, `{ rows: [row, …] }`, as JSON Schema generated from its row schema. */
function answerSchema(report: Report): Json {
  const { $schema: _, ...schema } = toJsonSchema(v.object({ rows: v.array(report.row) }), { errorMode: 'ignore' });
  return schema;
}

const reportRoute = (report: Report) =>
  route(
    report.summary,
    report.params,
    answerSchema(report),
    report.marts && `From the marts ${report.marts.map((m) => `\`${martNames[m]('<table>')}\``).join(', ')}.`,
  );

const str = { type: 'string' };

export function readerOpenApi(): Json {
  const events = route("One catalog type's rows, newest first; continue from next_cursor.", EventsQuery, {
    type: 'object',
    properties: {
      type: str,
      rows: { type: 'array', items: { type: 'object' } },
      next_cursor: { type: ['string', 'null'] },
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'edge-events reading API',
      version: '1',
      description: 'Events and reports from ClickHouse. Dates are UTC; from/to are inclusive.',
    },
    security: [{}, { readKey: [] }, { readKeyHeader: [] }],
    paths: {
      '/v1/events': events,
      '/events': events,
      ...Object.fromEntries(reports.map((r) => [reportPath(r), reportRoute(r)])),
      '/openapi.json': { get: { summary: 'This document.', responses: { '200': { description: 'OpenAPI 3.1.' } } } },
    },
    components: {
      securitySchemes: {
        readKey: { type: 'http', scheme: 'bearer', description: 'A key from READ_KEYS.' },
        readKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Read-Key' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: str,
            reason: str,
            issues: { type: 'array', items: { type: 'object', properties: { path: str, message: str } } },
          },
        },
      },
    },
  };
}
