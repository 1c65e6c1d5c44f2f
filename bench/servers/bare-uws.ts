// The ceiling: bare uWebSockets.js answering 202 to the same POST, reading the body and nothing else —
// what this machine can do for HTTP alone. Runs as its own process: `PORT=… node --import tsx …`.
import uws from 'uWebSockets.js';

const port = Number(process.argv[2] ?? 8090);
uws
  .App()
  .post('/*', (res) => {
    res.onAborted(() => {});
    res.onData((_chunk, last) => {
      if (last)
        res.cork(() =>
          res.writeStatus('202 Accepted').writeHeader('content-type', 'application/json').end('{"status":"accepted"}'),
        );
    });
  })
  .listen('127.0.0.1', port, (ok) => {
    if (!ok) process.exit(1);
    console.log(`listening ${port}`);
  });
