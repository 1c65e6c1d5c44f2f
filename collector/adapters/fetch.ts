// Web-standard adapter (Request → Response) for Deno.serve and Bun.serve: reads at most the body
// limit within the body deadline (408 and the stream cancelled past it), keeps request bodies in memory within a
// budget, and hands the core plain inputs.
import { bodyAdmission, concatBytes, type Collector, type CoreResponse } from '../core/mod.ts';

const toResponse = (out: CoreResponse) =>
  new Response(out.body === '' ? null : out.body, { status: out.status, headers: out.headers });

/** Reads a body up to `limit + 1` bytes: enough for the core to see it is over the limit. */
async function readLimited(reader: ReadableStreamDefaultReader<Uint8Array> | undefined, limit: number) {
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => {});
      break;
    }
  }
  return concatBytes(chunks, size);
}

export function fetchHandler(
  collector: Collector,
  opts: { bodyLimitBytes: number; maxInflightBytes: number; bodyTimeoutMs: number; corsOrigins?: readonly string[] },
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
      const reader = reserved ? request.body?.getReader() : undefined;
      const body = reader
        ? await admission.receive(readLimited(reader, opts.bodyLimitBytes), () => void reader.cancel().catch(() => {}))
        : new Uint8Array(0);
      if (!body) return toResponse(admission.timedOut(request.headers.get('origin')));
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
