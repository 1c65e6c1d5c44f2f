// CORS for browsers: an origin allowlist (or *), and the answer to preflight OPTIONS requests.
import type { CoreResponse } from './types.ts';

const ALLOW_HEADERS = 'content-type, content-encoding, authorization, x-write-key';

/** Headers to add to a response for this request's Origin; none when it is not allowed. */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (!origin) return {};
  if (allowed.includes('*')) return { 'access-control-allow-origin': '*' };
  return allowed.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
}

export function preflight(origin: string | undefined, allowed: readonly string[]): CoreResponse {
  const cors = corsHeaders(origin, allowed);
  if (!cors['access-control-allow-origin']) return { status: 403, headers: {}, body: '' };
  return {
    status: 204,
    headers: {
      ...cors,
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': ALLOW_HEADERS,
      'access-control-max-age': '86400',
    },
    body: '',
  };
}
