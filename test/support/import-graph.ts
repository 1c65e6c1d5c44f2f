// The import graph of the repository's TypeScript, for the layout test: every file and what it imports (type-only
// imports and `import()` included), read with TypeScript's own pre-processor — no module is loaded or run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

export interface ImportGraph {
  /** Repository-relative file → the repository files it imports. */
  files: Map<string, string[]>;
  /** Repository-relative file → the packages and built-in modules it imports (as written). */
  packages: Map<string, string[]>;
}

const SKIP = new Set(['node_modules', '.git', '.data', '.scratch', 'dist']);

function sources(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(root, path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative(root, path)] : [];
  });
}

export function importGraph(root: string): ImportGraph {
  const files = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  for (const file of sources(root)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const specs = importedFiles.map((i) => i.fileName);
    files.set(
      file,
      specs.filter((s) => s.startsWith('.')).map((s) => normalize(join(dirname(file), s))),
    );
    packages.set(
      file,
      specs.filter((s) => !s.startsWith('.')),
    );
  }
  return { files, packages };
}

/** `file` and every repository file it reaches. */
export function closure(graph: ImportGraph, starts: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of graph.files.get(file) ?? []) visit(next);
  };
  starts.forEach(visit);
  return seen;
}

/** Each import cycle once, as the files around it (Tarjan's strongly connected components of size > 1). */
export function cycles(graph: ImportGraph, include: (file: string) => boolean): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of (graph.files.get(v) ?? []).filter(include)) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const file of graph.files.keys()) if (include(file) && !index.has(file)) connect(file);
  return found;
}

/** Whether a module specifier names a Node built-in (`node:fs`, or a bare `fs`). */
export const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);
