// The whole tree type-checks under strict TypeScript (tsx runs it without checking types).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('tsc --noEmit reports no errors', async () => {
  const result = await promisify(execFile)(process.execPath, [
    'node_modules/typescript/bin/tsc',
    '--noEmit',
    '-p',
    '.',
  ]).then(
    () => '',
    (err: { stdout: string }) => err.stdout,
  );
  assert.is(result, '');
});

test.run();
