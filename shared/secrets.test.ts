// Keys held as digests: a plaintext key and its `sha256:` form find the same entry, a near miss finds nothing, and the
// digest text is what `keyDigestText` says.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KeySet, keyDigestText } from './secrets.ts';

test('a key given as plaintext or as its sha256 digest is found by the key itself', () => {
  const keys = new KeySet([
    ['write-key-web-1', 'web'],
    [keyDigestText('write-key-server-2'), 'server'],
  ]);
  assert.is(keys.size, 2);
  assert.is(keys.find('write-key-web-1'), 'web');
  assert.is(keys.find('write-key-server-2'), 'server');
  assert.is(keys.find(keyDigestText('write-key-server-2')), undefined, 'the digest itself is not a key');
  assert.is(keys.find('write-key-web-2'), undefined);
  assert.is(keys.find(''), undefined);
  assert.not.ok(new KeySet<string>([]).has('anything'));
});

test('digest text: sha256 of the UTF-8 bytes, lower-case hex', () => {
  assert.is(keyDigestText('abc'), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(new KeySet([[keyDigestText('abc').toUpperCase().replace('SHA256', 'sha256'), 1]]).find('abc'), 1);
});

test.run();
