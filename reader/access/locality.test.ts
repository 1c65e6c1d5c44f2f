// Whether a request is the machine's own and the page's own, on headers as browsers and proxies send them: the
// loopback names a reader answers to (a rebinding page's host is refused), forwarded requests, Origin against Host,
// and JSON bodies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostAllowed, hostName, isForwarded, isJson, isLoopbackHost, loopbackNames, sameOrigin } from './locality.ts';

test('loopback listen addresses', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', 'reader', '127.0.0.1.evil.example'])
    assert.not.ok(isLoopbackHost(h), h);
});

test("Host: the loopback names and the reader's own, any port; a rebinding page's host, no", () => {
  const names = loopbackNames('127.0.0.1');
  for (const h of ['localhost:8082', 'LOCALHOST', '127.0.0.1:1', '[::1]:8082', '127.0.0.1'])
    assert.ok(hostAllowed(h, names), h);
  for (const h of ['evil.example:8082', '127.0.0.1.nip.io', 'localhost.evil.example', '', 'a b', undefined])
    assert.not.ok(hostAllowed(h, names), String(h));
  assert.ok(hostAllowed('[::1]:9', loopbackNames('::1')));
  assert.ok(hostAllowed('127.0.0.2:9', loopbackNames('127.0.0.2')));
  assert.not.ok(hostAllowed('127.0.0.2:9', names));
  assert.is(hostName('Example.COM:80'), 'example.com');
  assert.is(hostName('x:99999999'), undefined);
});

test('forwarded: any proxy header, whatever its case', () => {
  for (const h of ['Forwarded', 'X-Forwarded-For', 'x-forwarded-host', 'X-Forwarded-Proto', 'X-Real-IP', 'Via'])
    assert.ok(isForwarded(new Headers({ [h]: 'x' })), h);
  assert.not.ok(isForwarded(new Headers({ host: 'localhost', 'x-read-key': 'k', forwardedx: '1' })));
});

test('Origin must name the host the request was sent to', () => {
  assert.ok(sameOrigin('http://localhost:8082', 'localhost:8082'));
  assert.ok(sameOrigin('https://reader.example', 'reader.example'));
  assert.not.ok(sameOrigin('http://localhost:3000', 'localhost:8082'), 'another port is another origin');
  assert.not.ok(sameOrigin('http://evil.example', 'localhost:8082'));
  assert.not.ok(sameOrigin('null', 'localhost:8082'), 'a sandboxed or file page');
  assert.not.ok(sameOrigin(undefined, 'localhost:8082'));
  assert.not.ok(sameOrigin('file://localhost:8082', 'localhost:8082'));
  assert.not.ok(sameOrigin('not a url', 'localhost:8082'));
});

test('JSON bodies only: what a form of another site sends is not', () => {
  assert.ok(isJson('application/json'));
  assert.ok(isJson('Application/JSON; charset=utf-8'));
  for (const t of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined])
    assert.not.ok(isJson(t), String(t));
});

test.run();
