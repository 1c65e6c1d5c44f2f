// The catalog as a record of processing: per type, what personal data is collected (fields marked `pii: true`, and
// `user_id`, the person's identifier), why (the consent category it needs, or none), how long it is kept (the field's
// retention, else the row's `ttl`, else as long as the row), and what the collector adds from the request
// (enrichment.ts). `npm run catalog -- privacy` prints it; the console's catalog page shows it.
import type { Catalog } from './catalog.ts';
import type { EventType } from './event-type.ts';

export interface PersonalField {
  field: string;
  /** The consent category it needs (its own, else its type's); none: stored whatever the event's consent. */
  consent?: string;
  /** How long the hot table keeps it: `30d` (the field's retention), the row's ttl, or none (as long as the row). */
  kept?: string;
  /** Where the field comes from: sent by the client, or added by the collector from the request. */
  source: 'client' | 'collector';
}

export interface TypePrivacy {
  type: string;
  table: string;
  /** The category every stored event of the type had, and what an event that says nothing gets. */
  consent?: { category?: string; default: 'granted' | 'denied' };
  personal: PersonalField[];
  /** What the collector adds: device, bot flag, country, the address (how). */
  enrichment: string[];
  /** How long the hot table keeps a row (`ttl`); none: until deleted. */
  rowsKept?: string;
}

const ENRICHMENT_SAYS = {
  userAgent: 'browser, browser version, OS and device type, from the user agent',
  bots: (mode: string) => `whether the sender is a bot (${mode === 'drop' ? 'bots not stored' : 'flagged'})`,
  geo: 'country (region and city with a GeoLite2 City database), from the address',
  ip: (mode: string) =>
    mode === 'hash'
      ? 'the address as a keyed hash whose key changes every day'
      : 'the address, truncated to its network (/24, /48)',
};

export function privacyOf(type: EventType): TypePrivacy {
  const rules = type.consent;
  const personal: PersonalField[] = Object.entries(type.spec.fields)
    .filter(([name, spec]) => spec.pii || name === 'user_id')
    .map(([name, spec]) => ({
      field: name,
      consent: spec.consent ?? rules?.category,
      kept: spec.retention ?? type.spec.ttl,
      source: 'client' as const,
    }));
  const e = type.enrich;
  if (e.ip) personal.push({ field: 'ip', consent: rules?.category, kept: type.spec.ttl, source: 'collector' });
  const enrichment = [
    ...(e.userAgent ? [ENRICHMENT_SAYS.userAgent] : []),
    ...(e.bots ? [ENRICHMENT_SAYS.bots(e.bots)] : []),
    ...(e.geo ? [ENRICHMENT_SAYS.geo] : []),
    ...(e.ip ? [ENRICHMENT_SAYS.ip(e.ip)] : []),
  ];
  return {
    type: type.name,
    table: type.table,
    ...(rules ? { consent: { category: rules.category, default: rules.default } } : {}),
    personal,
    enrichment,
    ...(type.spec.ttl ? { rowsKept: type.spec.ttl } : {}),
  };
}

/** The record of every type, as text: what a team hands its data protection officer. */
export function describePrivacy(catalog: Catalog): string {
  const lines: string[] = [];
  for (const type of catalog.types) {
    const p = privacyOf(type);
    lines.push(`${p.type} (table ${p.table}; rows kept ${p.rowsKept ?? 'until deleted'})`);
    if (p.consent)
      lines.push(
        `  consent: ${p.consent.category ? `needs ${p.consent.category}` : 'per field'}; ` +
          `an event that says nothing: ${p.consent.default}`,
      );
    if (p.personal.length === 0) lines.push('  personal data: none declared');
    for (const f of p.personal)
      lines.push(
        `  personal: ${f.field.padEnd(16)} ${f.source === 'collector' ? 'added by the collector' : 'sent'}; ` +
          `${f.consent ? `needs consent ${f.consent}` : 'no consent needed'}; kept ${f.kept ?? 'as long as the row'}`,
      );
    for (const e of p.enrichment) lines.push(`  adds: ${e}`);
  }
  lines.push(
    '',
    'The cold archive (Parquet) keeps every accepted event as it was stored, whatever the retention of the hot',
    'tables.',
  );
  return lines.join('\n');
}
