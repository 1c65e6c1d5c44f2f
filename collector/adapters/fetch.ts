// Web-standard adapter (Request → Response) for Deno.serve and Bun.serve: reads at most the body
// limit, keeps request bodies in memory within a budget, and hands the core plain inputs.
import { bodyAdmission, concatBytes, type Collector, type CoreResponse } from '../core/mod.ts';

const toResponse = (out: CoreResponse) =>
  new Response(out.body === '' ? null : out.body, { status: out.status, headers: out.headers });

/** Reads a body up to `limit + 1` bytes: enough for the core to see it is over the limit. */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size > limit) break;
  }
  return concatBytes(chunks, size);
}

export function fetchHandler(
  collector: Collector,
  opts: { bodyLimitBytes: number; maxInflightBytes: number; corsOrigins?: readonly string[] },
) {
  const admission = bodyAdmission(opts);
  return async (request: Request, ip?: string): Promise<Response> => {
    const reserved = admission.admit(
      request.method,
      request.headers.get('content-length'),
      request.headers.get('origin'),
    );
    if (typeof reserved !== 'number') return toResponse(reserved);
    try {
      const body = reserved ? await readLimited(request.body, opts.bodyLimitBytes) : new Uint8Array(0);
      const url = new URL(request.url);
      return toResponse(
        await collector({
          method: request.method,
          path: url.pathname,
          header: (n) => request.headers.get(n) ?? undefined,
          body,
          ip,
        }),
      );
    } catch (err) {
      console.error(err);
      return new Response('{"error":"internal error"}', {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    } finally {
      admission.release(reserved);
    }
  };
}
