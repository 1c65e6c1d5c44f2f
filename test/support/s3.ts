// An S3-compatible server on loopback: npm's s3rver (files in a folder we own), with bucket `archive`, behind a small
// proxy the tests steer. The proxy can hold the answer to a PUT after the object is stored — the moment an archiver
// killed then has stored a file it never heard back about — and the server can be stopped and started again on the
// same port and data, as an object store that goes away for a while.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import S3rver from 's3rver';
import { freePort } from './free-port.ts';

export interface S3 {
  /** The endpoint (ARCHIVE_S3_ENDPOINT): the proxy's URL. */
  readonly endpoint: string;
  readonly bucket: string;
  /** ARCHIVE_URL, ARCHIVE_S3_ENDPOINT and the credentials, for a process's environment. */
  env(prefix?: string): Record<string, string>;
  /** PUTs answered so far (objects stored). */
  readonly puts: number;
  /** Holds each PUT's answer this long after the object is stored (0: answer at once). */
  holdPuts(ms: number): void;
  /** Resolves when a PUT is stored and its answer held. */
  putHeld(): Promise<void>;
  /** Stops the server: requests are refused until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(dir: string): Promise<S3> {
  const bucket = 'archive';
  const port = await freePort();
  let server: S3rver | undefined;
  const start = async () => {
    if (server) return;
    server = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory: join(dir, 's3'),
      configureBuckets: [{ name: bucket, configs: [] }],
    });
    await server.run();
  };
  await start();
  let hold = 0;
  let puts = 0;
  let onHeld: (() => void)[] = [];
  const proxy: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const reply = () => res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
          if (req.method !== 'PUT') return reply();
          puts++;
          if (!hold) return reply();
          onHeld.forEach((f) => f());
          onHeld = [];
          setTimeout(reply, hold);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    endpoint,
    bucket,
    env: (prefix = 'events') => ({
      ARCHIVE_URL: `s3://${bucket}/${prefix}`,
      ARCHIVE_S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      ARCHIVE_TIMEOUT_MS: '2000',
    }),
    get puts() {
      return puts;
    },
    holdPuts: (ms) => void (hold = ms),
    putHeld: () => new Promise((resolve) => onHeld.push(resolve)),
    stop: async () => {
      await server?.close();
      server = undefined;
    },
    start,
    async close() {
      await server?.close();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
