// The unit tier holds (test/support/tiers.ts): no unit test (beside the code, or listed in UNIT_IN_TEST) can start a
// server or a process of the product, so `npm run test:unit` needs nothing running. Servers and the product's
// processes are started only by test/support's starters and local/; the embedded ClickHouse engine by
// connectClickHouse; S3 and browsers through s3rver and puppeteer-core. Read from the sources, like the layout test.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closure, importGraph, testFiles, tierOf, UNIT_IN_TEST } from './support/mod.ts';

const ROOT = process.cwd();
const graph = importGraph(ROOT);
const DOOR = 'test/support/mod.ts';
const unitTests = testFiles(ROOT).filter((f) => tierOf(f) === 'unit');
const STARTS = /^((node:)?child_process|chdb(\/.*)?|s3rver|puppeteer-core)$/;

const parse = (file: string) =>
  ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
const resolve = (from: string, spec: string) => normalize(join(dirname(from), spec));

/** The names (values, not types) `file` imports, from `module` only if given; '*' for a namespace or default import. */
function namesImported(file: string, module?: string): string[] {
  return parse(file).statements.flatMap((s) => {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.importClause?.isTypeOnly) return [];
    if (module && resolve(file, s.moduleSpecifier.text) !== module) return [];
    const bindings = s.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) return ['*'];
    return bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
  });
}

/** Each name test/support's door re-exports by name → its module; what it re-exports with `export *` → '*'. */
const doorNames = new Map<string, string>();
const doorStars: string[] = [];
for (const s of parse(DOOR).statements) {
  if (!ts.isExportDeclaration(s) || !s.moduleSpecifier || !ts.isStringLiteral(s.moduleSpecifier)) continue;
  const module = resolve(DOOR, s.moduleSpecifier.text);
  if (s.exportClause && ts.isNamedExports(s.exportClause))
    for (const e of s.exportClause.elements) doorNames.set(e.name.text, module);
  else doorStars.push(module);
}
const originsOf = (name: string) =>
  doorNames.has(name) ? [doorNames.get(name)!] : [...doorStars, ...doorNames.values()];

/** A support module that starts nothing: it reaches only test/support, and nothing there spawns or serves. */
const startsNothing = (module: string) =>
  [...closure(graph, [module])].every(
    (f) => f.startsWith('test/support/') && !(graph.packages.get(f) ?? []).some((p) => STARTS.test(p)),
  );

/** What a test reaches: its imports, following test/support's door only to the modules of the names it takes. */
function reached(file: string): Set<string> {
  const direct = (graph.files.get(file) ?? []).filter((f) => f !== DOOR);
  const fromDoor = namesImported(file, DOOR).flatMap(originsOf);
  return closure(graph, [...direct, ...fromDoor]);
}

test('the unit tier: every test beside the code, and each test UNIT_IN_TEST lists (they exist)', () => {
  assert.equal(
    UNIT_IN_TEST.filter((f) => !existsSync(join(ROOT, f))),
    [],
  );
  assert.ok(unitTests.some((f) => !f.startsWith('test/')) && unitTests.every((f) => tierOf(f) === 'unit'));
  assert.equal(
    testFiles(ROOT).filter((f) => tierOf(f) !== 'unit' && !f.startsWith('test/')),
    [],
  );
});

test('no unit test reaches a server starter: local/, or a module of test/support that spawns or serves', () => {
  const wrong = unitTests.flatMap((file) =>
    [...reached(file)]
      .filter((f) => f !== file && (f.startsWith('local/') || (f.startsWith('test/') && !startsNothing(f))))
      .map((f) => `${file} → ${f}`),
  );
  assert.equal(wrong, []);
});

test('no unit test opens ClickHouse, S3 or a browser; none beside the code spawns a process', () => {
  const wrong = unitTests.flatMap((file) => {
    const packages = (graph.packages.get(file) ?? []).filter((p) => STARTS.test(p));
    // The tests listed in test/ run tools (tsc, git); a test beside the code runs nothing.
    const spawns = file.startsWith('test/') ? packages.filter((p) => !/child_process$/.test(p)) : packages;
    const opens = namesImported(file).filter((name) => name === 'connectClickHouse');
    return [...spawns, ...opens].map((what) => `${file}: ${what}`);
  });
  assert.equal(wrong, []);
});

test.run();
