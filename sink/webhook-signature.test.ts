// Signatures as a receiver checks them: the Standard Webhooks reference library (npm standardwebhooks) accepts what
// signatureHeaders makes, with the secret as configured (`whsec_…`); another secret, another body, another id or an
// old timestamp fails; while a secret is rotated, a receiver holding either one accepts.
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, type Relay } from '../shared/config/mod.ts';
import { signatureHeaders } from './webhook-signature.ts';

const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;
const relayWith = (secrets: string) =>
  loadConfig(
    {
      RELAYS: JSON.stringify([
        { name: 'hook', kind: 'webhook', url: 'https://hook.example/in', secret_env: 'HOOK_SECRET' },
      ]),
      HOOK_SECRET: secrets,
    },
    'sink',
  ).relays[0] as Extract<Relay, { kind: 'webhook' }>;
const utf8 = (s: string) => new TextEncoder().encode(s);
const verify = (secret: string, body: string, headers: Record<string, string>) =>
  new Webhook(secret).verify(body, headers, { jsonParse: false });

test('the reference library verifies what the relay signs', () => {
  const secret = whsec();
  const body = '{"event":"PageVisit","event_id":"a"}\n{"event":"PageVisit","event_id":"b"}\n';
  const headers = signatureHeaders('hook:EVENTS:1-2', utf8(body), relayWith(secret).signing.keys);
  assert.is(headers['webhook-id'], 'hook:EVENTS:1-2');
  assert.match(headers['webhook-timestamp'], /^\d{10}$/);
  assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]{43}=$/);
  verify(secret, body, headers);
  assert.is(headers['webhook-signature'], new Webhook(secret).sign('hook:EVENTS:1-2', new Date(), body));
});

test('another secret, a changed body or id, or an old timestamp is refused', () => {
  const secret = whsec();
  const body = '{"event":"PageVisit","event_id":"a"}\n';
  const headers = signatureHeaders('hook:EVENTS:7-7', utf8(body), relayWith(secret).signing.keys);
  assert.throws(() => verify(whsec(), body, headers), /No matching signature/);
  assert.throws(() => verify(secret, body.replace('"a"', '"b"'), headers), /No matching signature/);
  assert.throws(() => verify(secret, body, { ...headers, 'webhook-id': 'hook:EVENTS:7-8' }), /No matching signature/);
  const old = signatureHeaders('hook:EVENTS:7-7', utf8(body), relayWith(secret).signing.keys, Date.now() - 600_000);
  assert.throws(() => verify(secret, body, old), /too old/);
});

test('while a secret is rotated, each request is signed with both and either verifies it', () => {
  const [before, after] = [whsec(), whsec()];
  const body = '{"event":"signup","event_id":"s"}\n';
  const headers = signatureHeaders('hook:EVENTS:3-3', utf8(body), relayWith(`${after} ${before}`).signing.keys);
  assert.is(headers['webhook-signature'].split(' ').length, 2);
  verify(before, body, headers);
  verify(after, body, headers);
});

test('the signing keys are shown nowhere', () => {
  const secret = whsec();
  const relay = relayWith(secret);
  assert.ok(JSON.stringify(relay).includes('"signing":"[redacted]"'));
  for (const shown of [JSON.stringify(relay), inspect(relay, { depth: 9 }), `${relay.signing}`]) {
    assert.not.ok(shown.includes(secret.slice(6, 20)), shown);
    assert.not.ok(/Uint8Array|\[\s*\d+,/.test(shown), shown);
  }
});

test.run();
