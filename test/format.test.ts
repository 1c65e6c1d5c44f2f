// The formatter's check (prettier, .prettierrc.json: width 120) over every TypeScript file, and the width rule for
// what prettier cannot wrap (long strings and comments): no line of TypeScript over 120 characters.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => f && !f.includes('/generated/'));

test('prettier --check: every TypeScript file is formatted (npm run format writes them)', async () => {
  const unformatted: string[] = [];
  for (const file of files) {
    const options = await prettier.resolveConfig(file);
    if (!(await prettier.check(readFileSync(file, 'utf8'), { ...options, filepath: file }))) unformatted.push(file);
  }
  assert.equal(unformatted, []);
});

// Counted in UTF-8 bytes, as awk counts (→, — and ≤ are three): a line that fits here fits every tool.
test('no line of TypeScript is wider than 120 characters', () => {
  const wide = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        Buffer.byteLength(line) > 120 ? [`${file}:${i + 1} (${Buffer.byteLength(line)} bytes)`] : [],
      ),
  );
  assert.equal(wide, []);
});

test.run();
