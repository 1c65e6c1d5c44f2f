// The reading API's OpenAPI 3.1 document: each route's query parameters come from the same valibot schemas that
// check them (params.ts), so the document cannot drift from what the API accepts.
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { EventsQuery, FunnelQuery, RangeQuery, SessionsQuery, TypeRangeQuery } from './params.ts';

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

const route = (summary: string, schema: v.GenericSchema, rows: Json) => ({
  get: {
    summary,
    parameters: parameters(schema),
    responses: {
      '200': { description: 'The answer.', content: { 'application/json': { schema: rows } } },
      ...errors,
    },
  },
});

const rowsOf = (properties: Record<string, Json>) => ({
  type: 'object',
  properties: { rows: { type: 'array', items: { type: 'object', properties } } },
});
const int = { type: 'integer' };
const num = { type: 'number' };
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
      '/v1/reports/activity': route(
        'DAU, WAU (7 days) and MAU (30 days) per day.',
        RangeQuery,
        rowsOf({ date: str, dau: int, wau: int, mau: int }),
      ),
      '/v1/reports/daily': route(
        'Events and users per day of one type.',
        TypeRangeQuery,
        rowsOf({ date: str, events: int, users: { type: ['integer', 'null'] } }),
      ),
      '/v1/reports/solve-ratio': route(
        'Finished / started tasks per user and day, averaged.',
        RangeQuery,
        rowsOf({ date: str, solve_ratio: num }),
      ),
      '/v1/reports/task-funnel': route(
        'Users per month by how far they got from start_task to finish_task.',
        FunnelQuery,
        rowsOf({ month: str, total_users: int, not_solved: int, tried: int, solved: int }),
      ),
      '/v1/reports/sessions': route(
        'Sessions cut by inactivity, per day of their start.',
        SessionsQuery,
        rowsOf({
          date: str,
          sessions: int,
          users: int,
          avg_seconds: num,
          p50_seconds: num,
          p90_seconds: num,
          histogram: {
            type: 'array',
            items: { type: 'object', properties: { le: { type: ['integer', 'null'] }, sessions: int } },
          },
        }),
      ),
      '/v1/reports/lag': route(
        'Insert lag per minute: p50/p99 of inserted_at − received_at.',
        RangeQuery,
        rowsOf({ minute: str, events: int, p50_seconds: num, p99_seconds: num }),
      ),
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
