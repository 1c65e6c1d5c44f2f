// redactUrl: the credentials of every URL in a text are replaced, everything else is kept as it was.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { redactUrl } from './redact-url.ts';

test('user name and password go; scheme, host, port and path stay', () => {
  const cases: [string, string][] = [
    ['nats://edge:s3cret@nats:4222', 'nats://***@nats:4222'],
    ['nats://token@nats:4222', 'nats://***@nats:4222'],
    ['nats://u:a@b@nats:4222', 'nats://***@nats:4222'],
    ['tls://u:p@a:4222, tls://u:p@b:4222', 'tls://***@a:4222, tls://***@b:4222'],
    ['nats://u:p@a:4222,nats://b:4222', 'nats://***@a:4222,nats://b:4222'],
    ['http://default:pw%40x@127.0.0.1:8123/db', 'http://***@127.0.0.1:8123/db'],
    ['https://hook.example/in?a=1', 'https://hook.example/in?a=1'],
    ['https://h/x?email=a@b.example', 'https://h/x?email=a@b.example'],
    ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4222'],
    ['127.0.0.1:4222', '127.0.0.1:4222'],
    ['s3://bucket/prefix', 's3://bucket/prefix'],
    ['write to alice@example.com', 'write to alice@example.com'],
  ];
  for (const [input, shown] of cases) assert.is(redactUrl(input), shown, input);
});

test('query parameters that carry a credential lose their values', () => {
  assert.is(
    redactUrl('http://ch:8123/?password=pw&http_header_authorization=Bearer%20t&database=e'),
    'http://ch:8123/?password=***&http_header_authorization=***&database=e',
  );
  assert.is(
    redactUrl('https://b.s3.example/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abc&x-id=GetObject'),
    'https://b.s3.example/k?X-Amz-Credential=***&X-Amz-Signature=***&x-id=GetObject',
  );
  assert.is(redactUrl('https://h/hook?access_token=t0k&api_key=k3y'), 'https://h/hook?access_token=***&api_key=***');
});

test('URLs inside a message or a JSON line are found', () => {
  assert.is(
    redactUrl('cannot connect to NATS at nats://u:p@h:4222: Authorization Violation'),
    'cannot connect to NATS at nats://***@h:4222: Authorization Violation',
  );
  assert.is(
    redactUrl('{"servers":["nats://u:p@a:4222","nats://u:p@b:4222"],"msg":"x"}'),
    '{"servers":["nats://***@a:4222","nats://***@b:4222"],"msg":"x"}',
  );
});

test('NATS server entries, with and without a scheme: credentials replaced, the rest as given', () => {
  assert.is(redactUrl('nats://edge:s3cret@nats-0.nats:4222'), 'nats://***@nats-0.nats:4222');
  assert.is(redactUrl('tls://t0ken@nats:4222'), 'tls://***@nats:4222');
  assert.is(redactUrl('nats://u:p@ss@host:4222'), 'nats://***@host:4222');
  assert.is(redactUrl('edge:s3cret@127.0.0.1:4222'), '***@127.0.0.1:4222');
  assert.is(redactUrl('a:4222,edge:s3cret@b:4222'), 'a:4222,***@b:4222');
  assert.is(redactUrl('127.0.0.1:4222'), '127.0.0.1:4222');
  assert.is(redactUrl('ws://host/path@x'), 'ws://host/path@x');
  assert.is(redactUrl('write to ops@example.com today'), 'write to ops@example.com today');
});

test.run();
