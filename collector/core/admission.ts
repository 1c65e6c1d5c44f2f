// Admission of a request body before it is read, the same for every adapter: over the declared
// per-request limit → 413; over the budget of bodies held in memory → 503. Release once answered.
import { errorResponse, overloaded, tooLarge } from './http-error.ts';
import { Budget } from './limiter.ts';
import type { CoreResponse } from './types.ts';

export function bodyAdmission(opts: { bodyLimitBytes: number; maxInflightBytes: number }) {
  const bodies = new Budget(opts.maxInflightBytes);
  return {
    /** The bytes reserved for this body, or the answer that refuses it. */
    admit(method: string, contentLength: string | null | undefined): number | CoreResponse {
      const declared = Number(contentLength ?? 0);
      if (declared > opts.bodyLimitBytes) return errorResponse(tooLarge(opts.bodyLimitBytes));
      // Without a length, assume the worst the limit allows.
      const reserved = method === 'POST' ? declared || opts.bodyLimitBytes : 0;
      return bodies.tryTake(reserved) ? reserved : errorResponse(overloaded());
    },
    release: (reserved: number) => bodies.give(reserved),
  };
}
