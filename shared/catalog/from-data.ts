// A catalog from data rather than files: the type specs of a published version (NATS KV), which anyone who can write
// the bucket can write. They are parsed against the very schema the files are (spec.ts) — so every name is a plain
// identifier, every key known — and compiled as files are (catalog.ts); anything else is a CatalogError naming each
// problem by its path (`types[2].fields.plan.values`) and never a catalog.
import * as v from 'valibot';
import { buildCatalog, type Catalog } from './catalog.ts';
import { CatalogError } from './load.ts';
import { CatalogFile } from './spec.ts';

/** How many problems a refusal lists, and how long each may be: a poisoned version may have thousands, and a
 *  message may quote what it refuses. */
const MAX_PROBLEMS = 20;
const MAX_MESSAGE = 300;
const said = (message: string) => (message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message);

/** `types` (what a published version holds) as the catalog of `version`, or a CatalogError prefixed by `what`. */
export function catalogFromData(types: unknown, version: number, what = `catalog version ${version}`): Catalog {
  const parsed = v.safeParse(CatalogFile, { types });
  if (!parsed.success)
    throw new CatalogError(
      parsed.issues.slice(0, MAX_PROBLEMS).map((issue) => `${what}: ${pathOf(issue.path)}: ${said(issue.message)}`),
    );
  const { catalog, issues } = buildCatalog(parsed.output.types, version);
  if (catalog) return catalog;
  throw new CatalogError(
    issues.slice(0, MAX_PROBLEMS).map((issue) => {
      const [index, ...rest] = issue.path;
      return `${what}: ${pathOf(
        [index!, ...rest].map((key) => ({ key })),
        ['types'],
      )}: ${said(issue.message)}`;
    }),
  );
}

/** `types[2].fields.plan` for a valibot path (keys that are not plain names are shown as JSON). */
function pathOf(path: readonly { key: unknown }[] | undefined, head: string[] = []): string {
  const keys = [...head, ...(path ?? []).map((p) => p.key)];
  return keys
    .map((key, i) =>
      typeof key === 'number'
        ? `[${key}]`
        : typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
          ? `${i ? '.' : ''}${key}`
          : `[${JSON.stringify(String(key)).slice(0, 60)}]`,
    )
    .join('');
}
