// Node adapter: serves the collector core through hyper-express over uWebSockets.js (native).
// Reads the body once into bytes, refuses oversize bodies early, closes the connection of a body not received within
// its deadline (hyper-express answers only once the body is in, so there is no 408 to send), and drains in-flight on
// close.
import HyperExpress from 'hyper-express';
import uws from 'uWebSockets.js';
import { bodyAdmission, type Collector, type CoreResponse } from '../core/mod.ts';

interface NodeServer {
  readonly port: number;
  /** Stop accepting connections, wait for in-flight requests to be answered, close idle ones. */
  close(): Promise<void>;
}

// The JS fallback of uWebSockets.js is many times slower; refuse to run on it.
if (!String(uws.App).includes('[native code]')) throw new Error('uWebSockets.js native binary did not load');

interface ServeOptions {
  host: string;
  port: number;
  bodyLimitBytes: number;
  /** Request bodies held in memory at once; past it, 503 before reading. */
  maxInflightBytes: number;
  /** A body not received in full this long after its headers: the connection is closed. */
  bodyTimeoutMs: number;
  /** For the CORS headers of refusals made before the core sees the request. */
  corsOrigins?: readonly string[];
  onError: (err: unknown) => void;
}

export async function serveNode(collector: Collector, opts: ServeOptions): Promise<NodeServer> {
  const admission = bodyAdmission(opts);
  const server = new HyperExpress.Server({
    // A backstop for bodies without Content-Length; the exact limit is enforced in the handler.
    max_body_length: opts.bodyLimitBytes + 64 * 1024,
    fast_abort: false,
    auto_close: false,
  });
  const send = (res: HyperExpress.Response, out: CoreResponse) => {
    res.status(out.status);
    for (const [name, value] of Object.entries(out.headers)) res.header(name, value);
    res.send(out.body);
  };
  server.any('/*', async (req, res) => {
    const reserved = admission.admit(req.method, req.headers['content-length'], req.headers.origin);
    if (typeof reserved !== 'number') return send(res, reserved);
    try {
      // hyper-express's buffer() never settles for a client that went away mid-body: the deadline ends it too.
      const body = reserved ? await admission.receive(req.buffer(), () => res.close()) : new Uint8Array(0);
      if (!body) return;
      const headers = req.headers;
      const out = await collector({
        method: req.method,
        path: req.path,
        header: (n) => headers[n.toLowerCase()],
        body,
        // Read only when per-IP limits are on: hyper-express formats the address on every read.
        get ip() {
          return req.ip;
        },
      });
      if (!res.completed) send(res, out);
    } catch (err) {
      opts.onError(err);
      if (!res.completed)
        send(res, { status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":"internal error"}' });
    } finally {
      admission.release(reserved);
    }
  });
  await server.listen(opts.port, opts.host);
  return {
    port: server.port,
    async close() {
      await server.shutdown();
      // shutdown() waits for in-flight requests and closes the listener; idle keep-alive
      // connections stay open until the uWS app itself is closed.
      (server.uws_instance as unknown as { close(): void }).close();
    },
  };
}
