// A loopback TCP port that is free right now (for servers that cannot pick their own). The kernel may hand the same
// port to two calls in a row once the first probe closed it, so a port is never handed out twice by this process:
// a cluster's dozen ports must all differ.
import { createServer } from 'node:net';

const given = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    if (given.has(port)) continue;
    given.add(port);
    return port;
  }
}
