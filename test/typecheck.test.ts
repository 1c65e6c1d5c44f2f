// The whole tree type-checks under strict TypeScript (tsx runs it without checking types): the Node side, and the
// console's browser code (reader/console/web, with the DOM's types and preact's JSX).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

for (const project of ['.', 'reader/console/web']) {
  test(`tsc --noEmit -p ${project} reports no errors`, async () => {
    const result = await promisify(execFile)(process.execPath, [
      'node_modules/typescript/bin/tsc',
      '--noEmit',
      '-p',
      project,
    ]).then(
      () => '',
      (err: { stdout: string }) => err.stdout,
    );
    assert.is(result, '');
  });
}

test.run();
