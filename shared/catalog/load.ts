// Catalog files (YAML) → a catalog. Every problem in every file is reported at once, each naming the file, the line,
// the type and the field: a YAML syntax error, a spec the file format refuses (spec.ts), or a type that does not
// hold together (compile.ts). Runtime-neutral: the texts are given; shared/node reads them from disk.
import { LineCounter, parseDocument, type Document } from 'yaml';
import * as v from 'valibot';
import { buildCatalog, type Catalog } from './catalog.ts';
import { CatalogFile, type TypeSpec } from './spec.ts';
import { Refused } from '../refused.ts';

export interface CatalogSource {
  /** Where it came from, for messages. */
  file: string;
  text: string;
}

export class CatalogError extends Refused {
  override name = 'CatalogError';
  constructor(readonly problems: string[]) {
    super(`invalid event catalog:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

interface Parsed {
  source: CatalogSource;
  doc: Document;
  lines: LineCounter;
}

/** "file:line: type T, field f: message" for a path into a file's data. */
function locate(p: Parsed, path: (string | number)[], message: string): string {
  let node: unknown;
  for (let depth = path.length; depth >= 0 && !node; depth--) node = p.doc.getIn(path.slice(0, depth), true);
  const offset = (node as { range?: [number] } | undefined)?.range?.[0];
  const line = offset === undefined ? '' : `:${p.lines.linePos(offset).line}`;
  const typeIndex = path[0] === 'types' && typeof path[1] === 'number' ? path[1] : undefined;
  const typeName = typeIndex === undefined ? undefined : p.doc.getIn(['types', typeIndex, 'name']);
  const where: string[] = [];
  if (typeIndex !== undefined) where.push(`type ${typeof typeName === 'string' ? typeName : `#${typeIndex + 1}`}`);
  const fieldAt = path.indexOf('fields');
  if (fieldAt >= 0 && path[fieldAt + 1] !== undefined) where.push(`field ${path[fieldAt + 1]}`);
  return `${p.source.file}${line}: ${where.length ? `${where.join(', ')}: ` : ''}${message}`;
}

/** The type specs of every file that parses, in order (files, then types within each), and the problems of the rest. */
function parseCatalogSources(sources: readonly CatalogSource[]): {
  specs: TypeSpec[];
  origin: { parsed: Parsed; index: number }[];
  problems: string[];
} {
  const problems: string[] = [];
  const specs: TypeSpec[] = [];
  const origin: { parsed: Parsed; index: number }[] = [];
  for (const source of sources) {
    const lines = new LineCounter();
    const doc = parseDocument(source.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const parsed = { source, doc, lines };
    if (doc.errors.length) {
      for (const e of doc.errors)
        problems.push(`${source.file}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
      continue;
    }
    const result = v.safeParse(CatalogFile, doc.toJS());
    if (!result.success) {
      for (const issue of result.issues) {
        const path = issue.path?.map((item) => item.key as string | number) ?? [];
        problems.push(locate(parsed, path, issueMessage(issue)));
      }
      continue;
    }
    result.output.types.forEach((spec, index) => {
      specs.push(spec);
      origin.push({ parsed, index });
    });
  }
  return { specs, origin, problems };
}

/** A catalog from files' texts, or a CatalogError naming every problem with its file and line. */
export function catalogFromSources(sources: readonly CatalogSource[], version = 0): Catalog {
  if (sources.length === 0) throw new CatalogError(['no catalog files: EVENT_CATALOG names no .yaml or .yml file']);
  const { specs, origin, problems } = parseCatalogSources(sources);
  const { catalog, issues } = buildCatalog(specs, version);
  if (catalog && problems.length === 0) return catalog;
  throw new CatalogError([
    ...problems,
    ...issues.map((issue) => {
      const [index, ...rest] = issue.path as [number, ...(string | number)[]];
      const from = origin[index]!;
      return locate(from.parsed, ['types', from.index, ...rest], issue.message);
    }),
  ]);
}

/** Valibot's message, with the missing-key case said plainly. */
function issueMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === 'schema' && issue.received === 'undefined' && issue.type !== 'optional')
    return `${lastKey(issue)} is required`;
  return issue.message;
}
const lastKey = (issue: v.BaseIssue<unknown>) => String(issue.path?.at(-1)?.key ?? 'a value');
