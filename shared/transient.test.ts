// The one transient-error test: real errors from reaching a closed port and an unknown host through the clients
// edge-events uses (nats.js, @clickhouse/client, fetch, node:net) are unreachable; mistakes are not.
import { connect as natsConnect } from '@nats-io/transport-node';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { connect as tcpConnect } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isUnreachable } from './transient.ts';

/** A loopback port nothing listens on (port 1 needs root to listen; nobody does here). */
const CLOSED = '127.0.0.1:1';
const caught = (p: Promise<unknown>) =>
  p.then(
    () => assert.unreachable('expected a failure'),
    (err: unknown) => err,
  );

test('refused and unknown-host errors of every client are unreachable', async () => {
  const clickhouse = createClient({ url: `http://${CLOSED}`, log: { level: ClickHouseLogLevel.OFF } });
  const errors: [string, unknown][] = [
    ['nats.js, refused', await caught(natsConnect({ servers: CLOSED }))],
    ['nats.js, unknown host', await caught(natsConnect({ servers: 'nats://no-such-host.invalid:4222' }))],
    ['@clickhouse/client, refused', await caught(clickhouse.query({ query: 'SELECT 1' }))],
    ['node:net, refused', await new Promise((resolve) => tcpConnect(1, '127.0.0.1').once('error', resolve))],
  ];
  await clickhouse.close();
  for (const [label, err] of errors) assert.ok(isUnreachable(err), `${label}: ${String(err)}`);
});

test('mistakes that waiting will not fix are not unreachable', () => {
  assert.not.ok(isUnreachable(new Error('connect ECONNREFUSED in a message is not a code')));
  assert.not.ok(isUnreachable(Object.assign(new Error('Authentication failed'), { code: '516' })));
  assert.not.ok(isUnreachable(Object.assign(new Error('cert'), { code: 'CERT_HAS_EXPIRED' })));
  assert.not.ok(isUnreachable(undefined));
  assert.not.ok(isUnreachable('ECONNREFUSED'));
  assert.ok(isUnreachable(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'EAI_AGAIN' }) })));
});

test.run();
