// Content-Encoding: gzip and deflate bodies are inflated with the web-standard DecompressionStream,
// counting as they go — a body that inflates past the limit is refused (413), so no gzip bombs.
import { concatBytes } from './bytes.ts';
import { HttpError, tooLarge } from './http-error.ts';

export async function decodeBody(
  body: Uint8Array,
  encoding: string | undefined,
  limitBytes: number,
): Promise<Uint8Array> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return body;
  const format = enc === 'gzip' || enc === 'x-gzip' ? 'gzip' : enc === 'deflate' ? 'deflate' : undefined;
  if (!format)
    throw new HttpError(415, `unsupported content encoding ${JSON.stringify(enc)}`, { supported: ['gzip', 'deflate'] });
  const reader = new Blob([body as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream(format))
    .getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) {
        await reader.cancel();
        throw tooLarge(limitBytes, 'inflates past');
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, `invalid ${format} body: ${(err as Error).message}`);
  }
  return concatBytes(chunks, size);
}
