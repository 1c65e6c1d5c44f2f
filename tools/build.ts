// `npm run build`: each process (collector, sink, reader, archiver) and the deploy Jobs' tools (streams:apply,
// schema:apply) — BUNDLES — bundled into dist/ with esbuild, one ESM file each (packages stay in node_modules), so
// they start without a TypeScript loader (~25 MiB less RSS under load) and the images need neither esbuild nor tsx.
// And the console's page (reader/console/web) for browsers: one script and one stylesheet in dist/console, preact
// and uPlot included, so nothing is fetched from a CDN. `npm start` and `npm run collector` (sink, reader, archiver)
// build first; tests and benchmarks call buildBundles() before spawning.
import { build, type Metafile } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Each process's (and deploy Job's npm script's) entry point; bundleOf() names the bundle it becomes. */
export const BUNDLES = {
  collector: 'collector/main.ts',
  sink: 'sink/main.ts',
  reader: 'reader/main.ts',
  archiver: 'archive/main.ts',
  // The deploy Jobs run these in the sink image (`node dist/cli/streams.mjs`, `node dist/cli/catalog.mjs apply`).
  'streams:apply': 'cli/streams.ts',
  'schema:apply': 'cli/catalog.ts',
} as const;
export const bundleOf = (entry: string) => `dist/${entry.replace(/\.ts$/, '.mjs')}`;

/**
 * Builds every bundle; each file is replaced atomically, so concurrent builds never expose half a file. Returns
 * esbuild's metafile: every input of every bundle and what each imports (the layout test reads it); with
 * `write: false` nothing is written.
 */
export async function buildBundles(opts: { write?: boolean } = {}): Promise<Metafile> {
  const web = await build({
    entryPoints: { app: 'reader/console/web/main.tsx', docs: 'reader/console/web/docs.ts' },
    outdir: 'dist/console',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const { outputFiles, metafile } = await build({
    entryPoints: Object.values(BUNDLES),
    outbase: '.',
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  if (opts.write === false) return metafile;
  for (const file of [...outputFiles, ...web.outputFiles]) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  return metafile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildBundles();
