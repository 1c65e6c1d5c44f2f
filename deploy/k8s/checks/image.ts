// For the manifest tests: reads the Dockerfile (stages, their instructions, the image a target ends up
// with, what it copies from where, its environment) and .dockerignore, and follows the runtime imports of an entry
// point, for the static image checks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { REPO_DIR } from './render.ts';

export interface Stage {
  name: string;
  from: string;
  instructions: Array<{ op: string; args: string }>;
}

/** The stages of the Dockerfile, with `${ARG}` in FROM lines replaced by the ARG's default. */
export function dockerStages(text = readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8')): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [key = '', value = ''] = rest.split('=');
      args.set(key, value);
    } else if (upper === 'FROM') {
      const [, image = '', name = image] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({
        name,
        from: image.replace(/\$\{(\w+)\}/g, (_, key: string) => args.get(key) ?? ''),
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push({ op: upper, args: rest });
    }
  }
  return stages;
}

/** A target's instructions including those of the stages it is built FROM, oldest first, and its base image. */
export function resolveStage(stages: Stage[], name: string): { base: string; instructions: Stage['instructions'] } {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name} in the Dockerfile`);
  if (!stages.some((s) => s.name === stage.from)) return { base: stage.from, instructions: stage.instructions };
  const parent = resolveStage(stages, stage.from);
  return { base: parent.base, instructions: [...parent.instructions, ...stage.instructions] };
}

/** The last value of an instruction (USER, CMD, …) in a resolved target. */
export const last = (instructions: Stage['instructions'], op: string) =>
  instructions.filter((i) => i.op === op).at(-1)?.args;

/** The environment ENV instructions set (`ENV KEY=value KEY=value`), later ones winning. */
export function envOf(instructions: Stage['instructions']): Map<string, string> {
  const env = new Map<string, string>();
  for (const i of instructions.filter((i) => i.op === 'ENV'))
    for (const pair of i.args.split(/\s+/)) {
      const [key = '', ...value] = pair.split('=');
      env.set(key, value.join('='));
    }
  return env;
}

/** The COPY instructions: from a stage (`--from=<stage>`) or the build context, their sources and destination. */
export function copies(instructions: Stage['instructions']): Array<{ from?: string; sources: string[]; to: string }> {
  return instructions
    .filter((i) => i.op === 'COPY')
    .map((i) => {
      const words = i.args.split(/\s+/);
      const from = /^--from=(\S+)$/.exec(words[0] ?? '')?.[1];
      const paths = words.filter((w) => !w.startsWith('--'));
      return { from, sources: paths.slice(0, -1), to: paths.at(-1) ?? '' };
    });
}

/** Every file under a repository path (itself, when a file). */
export function filesUnder(path: string): string[] {
  const full = join(REPO_DIR, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => filesUnder(join(path, name)));
}

/** Whether .dockerignore keeps a path out of the build context (the last matching pattern decides). */
export function dockerIgnored(path: string): boolean {
  const patterns = readFileSync(join(REPO_DIR, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const pattern of patterns) {
    const include = pattern.startsWith('!');
    const glob = globRegExp(pattern.replace(/^!/, '').replace(/\/$/, ''));
    if (prefixes.some((p) => glob.test(p))) ignored = !include;
  }
  return ignored;
}

const GLOB: Record<string, string> = { '**/': '(?:.*/)?', '**': '.*', '*': '[^/]*', '?': '[^/]' };

function globRegExp(glob: string): RegExp {
  const body = glob
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) => GLOB[part] ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
    .join('');
  return new RegExp(`^${body}$`);
}

export interface Imports {
  files: string[];
  /** Package name → whether every import of it is dynamic (`await import()`). */
  packages: Map<string, boolean>;
}

const STATIC = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every repository file an entry point loads at runtime (type-only imports are erased) and the packages. */
export function runtimeImports(entries: string[]): Imports {
  const files = new Set<string>();
  const packages = new Map<string, boolean>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(join(REPO_DIR, file), 'utf8');
    const found = [
      ...[...source.matchAll(STATIC)].map((m) => ({ spec: m[1]!, dynamic: false })),
      ...[...source.matchAll(DYNAMIC)].map((m) => ({ spec: m[1]!, dynamic: true })),
    ];
    for (const { spec, dynamic } of found) {
      if (spec.startsWith('.')) visit(relative(REPO_DIR, join(REPO_DIR, dirname(file), spec)));
      else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
        const name = spec
          .split('/')
          .slice(0, spec.startsWith('@') ? 2 : 1)
          .join('/');
        packages.set(name, (packages.get(name) ?? true) && dynamic);
      }
    }
  };
  entries.forEach(visit);
  return { files: [...files].sort(), packages };
}
