// What logs may show of a NATS server URL: the credentials NATS_URL can carry (user:pass@, token@) never, the rest as
// given.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { redactedServer } from './connect.ts';

test('credentials in a server URL are replaced; a URL without them is left alone', () => {
  assert.is(redactedServer('nats://edge:s3cret@nats-0.nats:4222'), 'nats://***@nats-0.nats:4222');
  assert.is(redactedServer('tls://t0ken@nats:4222'), 'tls://***@nats:4222');
  assert.is(redactedServer('wss://u:p%40ss@host/ws'), 'wss://***@host/ws');
  assert.is(redactedServer('nats://u:p@ss@host:4222'), 'nats://***@host:4222');
  assert.is(redactedServer('edge:s3cret@127.0.0.1:4222'), '***@127.0.0.1:4222');
  assert.is(redactedServer('nats://nats:4222'), 'nats://nats:4222');
  assert.is(redactedServer('127.0.0.1:4222'), '127.0.0.1:4222');
  assert.is(redactedServer('ws://host/path@x'), 'ws://host/path@x');
});

test.run();
