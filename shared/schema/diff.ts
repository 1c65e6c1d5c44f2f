// What changes between two catalogs, and whether each change is compatible: one that the system can apply while
// events flow (a new type, a new optional field, a removed field, a changed limit), or one that would change what
// rows already stored mean (a field's type, optional → required, the time field, the sort key, the table), which is
// refused with what to do instead.
import { columnTypes, modernDialect } from './ddl.ts';
import type { Catalog, EventType, FieldSpec } from '../mod.ts';

interface CatalogChange {
  type: string;
  field?: string;
  what: string;
  compatible: boolean;
  /** For a refused change: what to do instead. */
  instead?: string;
}

const NEW_TYPE = 'declare a new type (e.g. a name ending in V2) and send the changed events as that type';
const mayBeLeftOut = (f: FieldSpec) => Boolean(f.optional || f.nullable || f.default !== undefined);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function diffType(before: EventType, after: EventType): CatalogChange[] {
  const changes: CatalogChange[] = [];
  const change = (what: string, compatible: boolean, field?: string, instead?: string) =>
    changes.push({ type: after.name, ...(field && { field }), what, compatible, ...(instead && { instead }) });
  if (before.table !== after.table) change(`table ${before.table} → ${after.table}`, false, undefined, NEW_TYPE);
  if (before.timeField !== after.timeField)
    change(`time field ${before.timeField} → ${after.timeField}`, false, undefined, NEW_TYPE);
  if (!same(before.orderBy, after.orderBy)) {
    change(`order_by (${before.orderBy.join(', ')}) → (${after.orderBy.join(', ')})`, false, undefined, NEW_TYPE);
  }
  const columnsBefore = columnTypes(before, modernDialect);
  const columnsAfter = columnTypes(after, modernDialect);
  for (const [name, spec] of Object.entries(after.spec.fields)) {
    const old = before.spec.fields[name];
    if (!old) {
      if (mayBeLeftOut(spec))
        change('new field (a column is added before any event carrying it is accepted)', true, name);
      else
        change(
          'new required field',
          false,
          name,
          'make it optional (or give it a default): events already sent lack it',
        );
      continue;
    }
    const [typeBefore, typeAfter] = [columnsBefore.get(name), columnsAfter.get(name)];
    if (typeBefore !== typeAfter) {
      const instead = `declare a new field (e.g. ${name}_v2) or ${NEW_TYPE}`;
      change(`type ${typeBefore} → ${typeAfter}`, false, name, instead);
    } else if (mayBeLeftOut(old) && !mayBeLeftOut(spec)) {
      change('optional → required', false, name, 'keep it optional, with a default if a value is needed');
    } else if (old.retention !== spec.retention) {
      change(`retention ${old.retention ?? 'none'} → ${spec.retention ?? 'none'} (the column's TTL)`, true, name);
    } else if (!same(old, spec)) {
      change('validation changed (limits, values, default, description, consent or pii)', true, name);
    }
  }
  for (const name of Object.keys(before.spec.fields)) {
    if (!(name in after.spec.fields))
      change('removed (the column stays, with its history; the field is no longer accepted)', true, name);
  }
  if (before.unknownFields !== after.unknownFields) {
    change(`unknown fields: ${before.unknownFields} → ${after.unknownFields}`, true);
  }
  if (!same(before.latest, after.latest)) {
    if (!before.latest) change(`new latest-row table ${after.latest!.table}`, true);
    else change('latest-row table changed', false, undefined, 'declare a new latest table under another name');
  }
  if (!same(before.enrich, after.enrich)) {
    const added = Object.keys(after.serverFields).filter((f) => !(f in before.serverFields));
    const columns = added.length > 0 ? ` (columns ${added.join(', ')} added; earlier rows keep them empty)` : '';
    change(`enrichment changed${columns}`, true);
  }
  if (before.spec.ttl !== after.spec.ttl)
    change(`retention ${before.spec.ttl ?? 'none'} → ${after.spec.ttl ?? 'none'} (the table's TTL)`, true);
  for (const key of ['description', 'aliases', 'role', 'name'] as const) {
    if (!same(before.spec[key], after.spec[key])) change(`${key} changed`, true);
  }
  return changes;
}

/** Every change from `before` to `after`, types matched by key. */
export function diffCatalogs(before: Catalog, after: Catalog): CatalogChange[] {
  const changes: CatalogChange[] = [];
  for (const type of after.types) {
    const old = before.byKey(type.key);
    if (!old)
      changes.push({
        type: type.name,
        what: `new type (table ${type.table} is created before its events are accepted)`,
        compatible: true,
      });
    else changes.push(...diffType(old, type));
  }
  for (const type of before.types) {
    if (!after.byKey(type.key)) {
      changes.push({
        type: type.name,
        what: `removed (table ${type.table} stays; its events are no longer accepted)`,
        compatible: true,
      });
    }
  }
  return changes;
}

export function describeCatalogChange(c: CatalogChange): string {
  const where = `${c.type}${c.field ? `.${c.field}` : ''}`;
  const instead = c.instead ? ` — instead, ${c.instead}` : '';
  return `${c.compatible ? 'compatible' : 'REFUSED   '}  ${where}: ${c.what}${instead}`;
}
