// Admission of a request body before it is read, the same for every adapter: over the declared
// per-request limit → 413; over the budget of bodies held in memory → 503. Release once answered.
// Refusals carry CORS headers, so a browser SDK can read them (and not retry a body that is too large).
import { corsHeaders } from './cors.ts';
import { errorResponse, overloaded, tooLarge } from './http-error.ts';
import { Budget } from './limiter.ts';
import type { CoreResponse } from './types.ts';

export function bodyAdmission(opts: {
  bodyLimitBytes: number;
  maxInflightBytes: number;
  corsOrigins?: readonly string[];
}) {
  const bodies = new Budget(opts.maxInflightBytes);
  const cors = opts.corsOrigins ?? ['*'];
  const refuse = (res: CoreResponse, origin: string | null | undefined) => (
    Object.assign(res.headers, corsHeaders(origin ?? undefined, cors)),
    res
  );
  return {
    /** The bytes reserved for this body, or the answer that refuses it. */
    admit(method: string, contentLength: string | null | undefined, origin?: string | null): number | CoreResponse {
      // Only a length that is a whole number counts; without one, assume the worst the limit allows.
      const declared = contentLength && /^\d+$/.test(contentLength) ? Number(contentLength) : undefined;
      if (declared !== undefined && declared > opts.bodyLimitBytes)
        return refuse(errorResponse(tooLarge(opts.bodyLimitBytes)), origin);
      const reserved = method === 'POST' ? (declared ?? opts.bodyLimitBytes) : 0;
      return bodies.tryTake(reserved) ? reserved : refuse(errorResponse(overloaded()), origin);
    },
    release: (reserved: number) => bodies.give(reserved),
  };
}
