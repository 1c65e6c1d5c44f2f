// The collector's OpenAPI 3.1 document: every route, with request bodies taken from the catalog's
// JSON Schemas (one source of truth) and the error shapes every route shares.
import { toJsonSchema } from '@valibot/to-json-schema';
import { EVENTS_ROUTE, segmentCalls, segmentMessage, TYPED_EVENTS_ROUTE, type Catalog } from '../mod.ts';
import { eventJsonSchema } from './json-schema.ts';

type Json = Record<string, unknown>;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const content = (schema: Json, types = ['application/json']) => Object.fromEntries(types.map((t) => [t, { schema }]));
const reply = (description: string, schema?: Json, headers?: Json) => ({
  description,
  ...(schema ? { content: content(schema) } : {}),
  ...(headers ? { headers } : {}),
});
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } };

const errors = {
  '400': reply('Invalid body or events; every bad field is named.', ref('Error')),
  '401': reply('Write keys are configured and this one is missing or unknown.', ref('Error')),
  '403': reply('The source may not send this event type.', ref('Error')),
  '413': reply(
    'Over the per-request (compressed or inflated) or per-event size limit; `limit` says which.',
    ref('Error'),
  ),
  '415': reply('Unsupported Content-Type or Content-Encoding.', ref('Error')),
  '429': reply('Rate limit of the write key or client IP.', ref('Error'), retryAfter),
  '503': reply(
    'Not stored (JetStream unavailable or the collector is overloaded); retry later.',
    ref('Error'),
    retryAfter,
  ),
};

/** The Segment message's JSON Schema, from the same valibot schema that validates it. */
function segmentMessageSchema(): Json {
  const { $schema: _, required, ...schema } = toJsonSchema(segmentMessage, { errorMode: 'ignore' }) as Json;
  return (required as string[]).length ? { ...schema, required } : schema;
}

export function openApiDocument(catalog: Catalog): Json {
  const schema = eventJsonSchema(catalog);
  const eventTypes = catalog.types;
  // The seed routes' bodies: seed 000's fallback events (and seed 002's Playback); seed 004's MovieView.
  const seedEvents = [catalog.fallback, catalog.find('Playback')].flatMap((t) => (t ? [ref(t.name)] : []));
  const formEvent = catalog.fallback ? ref(catalog.fallback.name) : { type: 'object' };
  const movieView = catalog.find('MovieView');
  const defs = JSON.parse(JSON.stringify(schema.$defs).replaceAll('#/$defs/', '#/components/schemas/')) as Record<
    string,
    Json
  >;
  const anyEvent = { oneOf: eventTypes.map((t) => ref(t.name)) };
  const events = { oneOf: [anyEvent, { type: 'array', items: anyEvent, minItems: 1 }] };
  const v1Post = (summary: string, body: Json) => ({
    post: {
      summary,
      requestBody: {
        required: true,
        content: {
          ...content(body, ['application/json', 'text/plain']),
          'application/x-ndjson': { schema: { type: 'string' } },
        },
      },
      responses: {
        '202': reply('Every event is stored in JetStream.', { oneOf: [ref('Accepted'), ref('BatchResult')] }),
        '207': reply('Some events stored, some rejected: see results.', ref('BatchResult')),
        ...errors,
      },
    },
  });
  const segmentPost = (call: string, body: Json) => ({
    post: {
      summary: `Segment ${call}`,
      requestBody: { required: true, content: content(body, ['application/json', 'text/plain']) },
      responses: {
        '200': reply('Stored.', { type: 'object', properties: { success: { const: true } } }),
        '207': reply('Some stored.', ref('BatchResult')),
        ...errors,
      },
    },
  });
  const health = (summary: string) => ({ get: { summary, responses: { '200': reply('Yes.'), '503': reply('No.') } } });
  return {
    openapi: '3.1.0',
    info: {
      title: 'edge-events collector',
      version: '1',
      description:
        'Every 2xx means the events are stored in NATS JetStream. Generated from shared/catalog; do not edit.',
    },
    servers: [{ url: 'http://localhost:8080' }],
    security: [{}, { writeKeyBasic: [] }, { writeKeyBearer: [] }, { writeKeyHeader: [] }],
    paths: {
      [EVENTS_ROUTE]: v1Post('One event, a JSON array, or NDJSON; each event names its type in `event`.', events),
      [TYPED_EVENTS_ROUTE]: {
        parameters: [
          { name: 'type', in: 'path', required: true, schema: { enum: eventTypes.flatMap((t) => [t.name, t.key]) } },
        ],
        ...v1Post('Events of the type named in the path.', {
          oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }],
        }),
      },
      ...Object.fromEntries(
        ['/events', '/events/'].map((p) => [
          p,
          {
            post: {
              summary: 'Seed 000/002 events (generic or Playback), as JSON or a form.',
              requestBody: {
                required: true,
                content: {
                  ...content({ oneOf: seedEvents }),
                  'application/x-www-form-urlencoded': { schema: formEvent },
                  'multipart/form-data': { schema: formEvent },
                },
              },
              responses: { '200': reply('Stored.', ref('Accepted')), ...errors },
            },
          },
        ]),
      ),
      ...(movieView && {
        '/v1/producer/views': {
          post: {
            summary: 'Seed 004: how far a user has watched a movie.',
            requestBody: { required: true, content: content(ref(movieView.name)) },
            responses: {
              '201': reply('Stored.', {
                type: 'object',
                properties: { message: { const: 'acknowledged' }, status: { const: 'success' } },
              }),
              ...errors,
            },
          },
        },
      }),
      ...Object.fromEntries(segmentCalls.map((c) => [`/v1/${c}`, segmentPost(c, ref('SegmentMessage'))])),
      '/v1/batch': segmentPost('batch', {
        type: 'object',
        required: ['batch'],
        properties: {
          batch: { type: 'array', items: ref('SegmentMessage'), minItems: 1 },
          sentAt: { type: 'string', format: 'date-time' },
          writeKey: { type: 'string' },
        },
      }),
      '/healthz': health('Alive.'),
      '/readyz': health('Ready: NATS connected and stream EVENTS exists.'),
      '/openapi.json': { get: { summary: 'This document.', responses: { '200': reply('OpenAPI 3.1.') } } },
    },
    components: {
      securitySchemes: {
        writeKeyBasic: { type: 'http', scheme: 'basic', description: 'The write key as the username (Segment style).' },
        writeKeyBearer: { type: 'http', scheme: 'bearer' },
        writeKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Write-Key' },
      },
      schemas: {
        ...defs,
        SegmentMessage: segmentMessageSchema(),
        Accepted: {
          type: 'object',
          description:
            'Stored, or deliberately not (`dropped`: a bot its type does not keep, an event without the consent its ' +
            'type needs) — either way, not to be sent again.',
          properties: {
            status: { enum: ['accepted', 'dropped'] },
            reason: { enum: ['bot', 'consent'] },
            event_id: { type: 'string' },
            type: { type: 'string' },
          },
        },
        Issue: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: { type: 'string' },
            limit: { enum: ['request', 'event', 'ip', 'source'] },
            issues: { type: 'array', items: ref('Issue') },
          },
        },
        BatchResult: {
          type: 'object',
          properties: {
            accepted: { type: 'integer' },
            rejected: { type: 'integer' },
            unavailable: { type: 'integer' },
            results: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  index: { type: 'integer' },
                  status: { enum: ['accepted', 'dropped', 'rejected', 'unavailable'] },
                  reason: { type: 'string' },
                  event_id: { type: 'string' },
                  type: { type: 'string' },
                  issues: { type: 'array', items: ref('Issue') },
                  error: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
    ...(catalog.segment && { 'x-segment-table': catalog.segment.table }),
  };
}
