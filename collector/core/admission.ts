// Admission of a request body, the same for every adapter. Before it is read: over the declared per-request limit,
// 413; over the budget of bodies held in memory, 503 (release once answered). While it is read, a deadline: a body
// not received in full within `bodyTimeoutMs` of its headers is dropped, so slow clients (slowloris) cannot hold a
// connection and a share of the budget for long. Refusals carry CORS headers, so a browser SDK can read them (and
// not retry a body that is too large).
import { corsHeaders } from './cors.ts';
import { errorResponse, HttpError, overloaded, tooLarge } from './http-error.ts';
import { Budget } from './limiter.ts';
import type { CoreResponse } from './types.ts';

/** The deadline for a body when none is configured (BODY_TIMEOUT_MS's default). */
const BODY_TIMEOUT_MS = 10_000;

export function bodyAdmission(opts: {
  bodyLimitBytes: number;
  maxInflightBytes: number;
  bodyTimeoutMs?: number;
  corsOrigins?: readonly string[];
}) {
  const bodies = new Budget(opts.maxInflightBytes);
  const cors = opts.corsOrigins ?? ['*'];
  const timeoutMs = opts.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
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
    /**
     * The body being read, or undefined once the deadline passed first: then `drop` is called (close the connection,
     * cancel the stream) and the read is abandoned. A read that never ends (the client went away) ends here too.
     */
    async receive(reading: Promise<Uint8Array>, drop: () => void): Promise<Uint8Array | undefined> {
      let expire!: () => void;
      const late = new Promise<undefined>((resolve) => (expire = () => resolve(undefined)));
      const timer = setTimeout(expire, timeoutMs);
      // Settled after the deadline or not at all: nobody awaits it then.
      reading.catch(() => {});
      try {
        const body = await Promise.race([reading, late]);
        if (body === undefined) drop();
        return body;
      } finally {
        clearTimeout(timer);
      }
    },
    /** The answer to a body dropped by receive(), where the adapter can still give one. */
    timedOut: (origin?: string | null) =>
      refuse(
        errorResponse(
          new HttpError(408, `request body not received within ${timeoutMs} ms`, {}, { connection: 'close' }),
        ),
        origin,
      ),
  };
}
