// The connection's request guard (connect.ts) hides nothing from the client: a server that resets the connection
// while an insert's body is being sent still fails the insert (which the sink then retries), and nothing is thrown
// past it. The late "socket hang up" the guard exists for came from a clickhouse-server killed mid-insert in the
// kill -9 fault suite, and is not reproduced here. Wire: a TCP server on loopback that reads part of the request
// and then resets the connection.
import { createClient } from '@clickhouse/client';
import { createServer, type Server } from 'node:net';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RequestGuardAgent } from './connect.ts';

/** Accepts connections, reads the first bytes of each request, then resets the connection mid-body (RST). */
async function dyingServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    socket.once('data', () => setTimeout(() => socket.resetAndDestroy(), 20));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

/** An insert whose body keeps coming for a while (the server goes away before it is sent). */
const slowBody = () =>
  new Readable({
    read() {
      setTimeout(() => this.push(Buffer.from('{"a":1}\n'.repeat(1000))), 5);
    },
  });

async function insertAgainstDyingServer(agent?: RequestGuardAgent): Promise<{ rejected: boolean; uncaught: Error[] }> {
  const { url, server } = await dyingServer();
  const uncaught: Error[] = [];
  const listeners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', (err) => void uncaught.push(err));
  const client = createClient({ url, request_timeout: 5000, ...(agent ? { http_agent: agent } : {}) });
  try {
    const rejected = await client.exec({ query: 'INSERT INTO t FORMAT JSONEachRow', values: slowBody() }).then(
      () => false,
      () => true,
    );
    await new Promise((r) => setTimeout(r, 300));
    return { rejected, uncaught };
  } finally {
    process.removeAllListeners('uncaughtException');
    for (const l of listeners) process.on('uncaughtException', l);
    await client.close();
    server.close();
  }
}

test('a connection reset mid-insert: the insert fails, nothing is thrown past it', async () => {
  const r = await insertAgainstDyingServer(new RequestGuardAgent());
  assert.ok(r.rejected, 'the insert was rejected');
  assert.equal(
    r.uncaught.map((e) => e.message),
    [],
  );
});

test.run();
