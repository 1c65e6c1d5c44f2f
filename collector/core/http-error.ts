// The collector's single HTTP error type: a status, a message, and optional JSON details, rendered the same way by
// every route — and RequestFailed, which carries an unexpected error (a bug) out with its trace id.
import type { CoreResponse } from './types.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A bug met while handling a traced request, wrapping it with the trace it happened in (the adapter logs both). */
export class RequestFailed extends Error {
  override name = 'RequestFailed';
  constructor(
    readonly traceId: string,
    cause: unknown,
  ) {
    super('request failed', { cause });
  }
}

export const RETRY_AFTER_SECONDS = '1';

export const tooLarge = (limitBytes: number, how = 'exceeds') =>
  new HttpError(413, `body ${how} the per-request limit of ${limitBytes} bytes`, {
    limit: 'request',
    limit_bytes: limitBytes,
  });

export const overloaded = () =>
  new HttpError(503, 'collector overloaded, retry later', {}, { 'retry-after': RETRY_AFTER_SECONDS });

export function json(status: number, body: unknown, headers: Record<string, string> = {}): CoreResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(err: HttpError): CoreResponse {
  return json(err.status, { error: err.message, ...err.details }, err.headers);
}
