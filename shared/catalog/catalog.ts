// A catalog: the event types a deployment knows, compiled from its files, at one version — and how a client's name
// for a type (`PageVisit`, `page_visit`, or any other event name → the fallback type) resolves to one.
import { compileType, type SpecIssue } from './compile.ts';
import type { EventType } from './event-type.ts';
import type { TypeSpec } from './spec.ts';

export interface Catalog {
  /** Which published version this is (0: read from files, not published yet). Rows record it. */
  readonly version: number;
  readonly types: readonly EventType[];
  /** Events whose `event` names no type land in this one (seed 000's generic events), if the catalog has one. */
  readonly fallback?: EventType;
  /** Segment calls without a typed schema land in this one, if the catalog has one. */
  readonly segment?: EventType;
  /** The type named exactly (its name, snake_case key, or lower-case name), or undefined. */
  find(name: string): EventType | undefined;
  /** The type of a subject token (`events.<key>`), as the sink sees it. */
  byKey(key: string): EventType | undefined;
  /** The type an event names in its `event` field; unknown or missing names are the fallback type. */
  of(input: Record<string, unknown>): EventType | undefined;
}

/** A catalog issue: the index of the type among all specs, then the path inside it. */
type CatalogIssue = SpecIssue;

/** Compiles specs into a catalog, or gives every issue (paths start with the type's index among `specs`). */
export function buildCatalog(specs: readonly TypeSpec[], version = 0): { catalog?: Catalog; issues: CatalogIssue[] } {
  const issues: CatalogIssue[] = [];
  const types: EventType[] = [];
  const seen = { name: new Map<string, number>(), key: new Map<string, number>(), table: new Map<string, number>() };
  const roles = new Map<string, number>();
  specs.forEach((spec, index) => {
    const own: SpecIssue[] = [];
    const type = compileType(spec, own);
    issues.push(...own.map((i) => ({ path: [index, ...i.path], message: i.message })));
    if (!type) return;
    const clash = (what: keyof typeof seen, value: string, path: string) => {
      const other = seen[what].get(value);
      if (other !== undefined)
        issues.push({ path: [index, path], message: `${what} ${value} is also the ${what} of ${specs[other]!.name}` });
      else seen[what].set(value, index);
    };
    clash('name', type.name.toLowerCase(), 'name');
    clash('key', type.key, 'key');
    clash('table', type.table, 'table');
    if (type.latest) clash('table', type.latest.table, 'latest');
    if (type.role) {
      const other = roles.get(type.role);
      if (other !== undefined)
        issues.push({ path: [index, 'role'], message: `${specs[other]!.name} already has role ${type.role}` });
      else roles.set(type.role, index);
    }
    types.push(type);
  });
  if (issues.length) return { issues };
  return { catalog: catalogOf(types, version), issues };
}

function catalogOf(types: readonly EventType[], version: number): Catalog {
  const byName = new Map<string, EventType>();
  for (const type of types) for (const name of [type.name, type.key, type.name.toLowerCase()]) byName.set(name, type);
  const byKey = new Map(types.map((t) => [t.key, t]));
  const fallback = types.find((t) => t.role === 'fallback');
  return {
    version,
    types,
    fallback,
    segment: types.find((t) => t.role === 'segment'),
    find: (name) => byName.get(name),
    byKey: (key) => byKey.get(key),
    of(input) {
      const name = input.event;
      return (typeof name === 'string' && byName.get(name)) || fallback;
    },
  };
}
