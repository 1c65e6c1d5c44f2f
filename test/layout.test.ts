// The layout holds (DESIGN, "Layout"): layers point one way, other folders are entered only through their door
// (a mod.ts), no files import each other in a circle, the collector core reaches nothing runtime-specific through
// any import path, and the production bundles carry no test support, no process spawning and no ClickHouse client
// they do not need. The graph is read from the sources (TypeScript's pre-processor) and from esbuild's metafile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BUNDLES, buildBundles, bundleOf } from '../tools/build.ts';
import { closure, cycles, importGraph, isNodeBuiltin } from './support/mod.ts';

const graph = importGraph(process.cwd());
const isTest = (f: string) => f.endsWith('.test.ts');

/** Product folders, lowest first, and the folders each may import from. Everything else (test, bench, deploy)
 *  stands on top and may import anything through its door — but cli/ (the command-line tools, one per file, no
 *  door): nothing imports it. */
const LAYERS: [folder: string, mayImport: string[]][] = [
  ['shared/node/', ['shared/']],
  ['shared/clickhouse/', ['shared/']],
  ['shared/schema/', ['shared/']],
  ['shared/docs/', ['shared/']],
  ['shared/config/', ['shared/']],
  ['shared/', ['shared/catalog/', 'shared/']],
  ['streams/', ['shared/', 'streams/']],
  ['process/', ['process/', 'shared/', 'streams/']],
  ['collector/core/', ['collector/core/', 'shared/']],
  ['collector/', ['collector/', 'shared/', 'streams/', 'process/']],
  ['sink/', ['sink/', 'shared/', 'streams/', 'process/']],
  ['reader/', ['reader/', 'shared/', 'streams/', 'process/']],
  ['archive/', ['archive/', 'shared/', 'streams/', 'process/']],
  ['demo/', ['demo/', 'shared/']],
  ['local/', ['local/', 'shared/', 'streams/', 'process/', 'collector/', 'sink/', 'reader/', 'archive/', 'demo/']],
  ['cli/', ['cli/', 'shared/', 'streams/', 'process/', 'collector/', 'sink/', 'reader/', 'archive/', 'demo/']],
  ['tools/', ['tools/']],
];
/** The Node side of the base layer; the rest of shared/ is runtime-neutral. */
const nodeSide = (file: string) => file.startsWith('shared/node/') || file.startsWith('shared/clickhouse/');
const layerOf = (file: string) => LAYERS.find(([folder]) => file.startsWith(folder));
/** Nested folders with a door of their own. */
const UNITS = [
  'shared/node',
  'shared/clickhouse',
  'shared/schema',
  'shared/docs',
  'shared/config',
  'collector/core',
  'reader/console',
];
/** The folder a file belongs to for the door rule: its top-level folder, or the nested unit with its own door. */
const unitOf = (file: string) =>
  UNITS.find((u) => file.startsWith(`${u}/`)) ?? /^(test\/support|[^/]+)\//.exec(file)?.[1] ?? '.';

const RUNTIME_SPECIFIC = (spec: string) =>
  isNodeBuiltin(spec) || /^(uWebSockets\.js|hyper-express|pino|chdb|@clickhouse\/)/.test(spec);

test('lower layers never import upper ones; the runtime-neutral shared door never reaches shared/node', () => {
  const wrong: string[] = [];
  for (const [file, imports] of graph.files) {
    const layer = layerOf(file);
    if (!layer || isTest(file)) continue;
    for (const target of imports) {
      const allowed = layer[1].some((folder) => target.startsWith(folder));
      const neutralReachesNode =
        (file.startsWith('shared/') || file.startsWith('collector/core/')) && !nodeSide(file) && nodeSide(target);
      const coreLeaves =
        file.startsWith('collector/core/') && target.startsWith('collector/') && !target.startsWith('collector/core/');
      if (!allowed || neutralReachesNode || coreLeaves) wrong.push(`${file} → ${target}`);
    }
  }
  assert.equal(wrong, []);
});

test('nothing imports the command-line tools (cli/)', () => {
  const wrong = [...graph.files].flatMap(([file, imports]) =>
    imports.filter((t) => t.startsWith('cli/')).map((t) => `${file} → ${t}`),
  );
  assert.equal(wrong, []);
});

/** tools/ has no door: its build scripts are each their own (tests and benchmarks build what they run). */
const BUILD_SCRIPTS = ['tools/build.ts', 'tools/build-binary.ts'];

test('other folders are entered only through their door (a mod.ts)', () => {
  const wrong: string[] = [];
  for (const [file, imports] of graph.files) {
    for (const target of imports) {
      if (unitOf(target) === unitOf(file) || target.endsWith('/mod.ts') || BUILD_SCRIPTS.includes(target)) continue;
      // A unit test may reach into the unit it tests.
      if (isTest(file) && unitOf(file) === unitOf(target)) continue;
      wrong.push(`${file} → ${target}`);
    }
  }
  assert.equal(wrong, []);
});

test('no files import each other in a circle (type-only imports included)', () => {
  assert.equal(
    cycles(graph, (f) => !isTest(f)),
    [],
  );
});

test('collector/core reaches nothing runtime-specific through any import path', () => {
  const core = [...graph.files.keys()].filter((f) => f.startsWith('collector/core/') && !isTest(f));
  assert.ok(core.length >= 10, `found the core (${core.length} files)`);
  const reached = closure(graph, core);
  const outside = [...reached].filter(
    (f) => !f.startsWith('collector/core/') && !(f.startsWith('shared/') && !nodeSide(f)),
  );
  assert.equal(outside, [], 'files outside the core and the neutral shared door');
  // The catalog's other audiences (ClickHouse schema, documents) and the processes' configuration stay out of it.
  assert.equal(
    [...reached].filter((f) => /^shared\/(schema|docs|config)\//.test(f)),
    [],
  );
  const specific = [...reached].flatMap((f) =>
    (graph.packages.get(f) ?? []).filter(RUNTIME_SPECIFIC).map((p) => `${f} → ${p}`),
  );
  assert.equal(specific, []);
});

test(
  'the production bundles carry no test support, no process spawning; ' + 'the collector no ClickHouse client',
  async () => {
    const metafile = await buildBundles({ write: false });
    for (const [role, entry] of Object.entries(BUNDLES)) {
      const output = metafile.outputs[bundleOf(entry)];
      assert.ok(output, `esbuild built ${bundleOf(entry)}`);
      const inputs = Object.keys(output!.inputs);
      const externals = output!.imports.filter((i) => i.external).map((i) => i.path);
      assert.equal(
        inputs.filter((f) => /^(test|bench|local|tools|deploy)\//.test(f)),
        [],
        `${role}: inputs from outside the product`,
      );
      assert.equal(
        externals.filter((p) => /^(node:)?child_process$/.test(p)),
        [],
        `${role}: spawns processes`,
      );
      if (role === 'collector') {
        assert.equal(
          inputs.filter((f) => f.startsWith('sink/')),
          [],
          'collector: sink code',
        );
        assert.equal(
          externals.filter((p) => /^(@clickhouse\/|chdb)/.test(p)),
          [],
          'collector: a ClickHouse client',
        );
      }
    }
  },
);

test.run();
