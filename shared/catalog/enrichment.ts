// What the collector adds to a type's rows when the type asks for it (catalog `enrich:`), and the columns each
// enrichment fills: server-set fields, which a client cannot send (they are not in the type's client schema, so a
// client's `country` is an unknown field like any other). The steps that fill them are the collector's
// (collector/core/steps/); the DDL, the archive and the docs read the columns from here.
import * as v from 'valibot';
import { bool, label, text } from './columns.ts';

export const EnrichSpec = v.strictObject({
  /** browser, browser_version, os, device_type: from the request's User-Agent (or Segment's context.userAgent). */
  user_agent: v.optional(v.boolean()),
  /** is_bot from the user agent: `flag` stores it, `drop` stores no bot's event (counted, answered 2xx). */
  bots: v.optional(v.picklist(['flag', 'drop'])),
  /** country, region, city from the client's address (an offline database; GEOIP_DB for a richer one). */
  geo: v.optional(v.boolean()),
  /** The client's address in column `ip`: its network only (`truncate`: /24 IPv4, /48 IPv6) or a keyed hash whose
   *  key changes every day (`hash`). Without it, no address is stored. */
  ip: v.optional(v.picklist(['truncate', 'hash'])),
});
export type EnrichSpec = v.InferOutput<typeof EnrichSpec>;

/** A type's enrichment, every choice spelled out. */
export interface Enrichment {
  readonly userAgent: boolean;
  readonly bots?: 'flag' | 'drop';
  readonly geo: boolean;
  readonly ip?: 'truncate' | 'hash';
}

export const enrichmentOf = (spec: EnrichSpec | undefined): Enrichment =>
  Object.freeze({ userAgent: spec?.user_agent ?? false, bots: spec?.bots, geo: spec?.geo ?? false, ip: spec?.ip });

const describe = <T extends v.GenericSchema>(schema: T, what: string) => v.pipe(schema, v.description(what));

/** The columns of each enrichment, by its name in the catalog. */
export const ENRICHMENT_FIELDS = {
  user_agent: {
    browser: describe(label(64), 'browser name from the user agent (Chrome, Safari, …); empty when unknown'),
    browser_version: describe(label(32), 'browser major version'),
    os: describe(label(64), 'operating system (Windows, Mac OS, iOS, Android, Linux, …)'),
    device_type: describe(label(16), 'desktop, mobile, tablet, tv, console, wearable, embedded, bot or unknown'),
  },
  bots: { is_bot: describe(bool(), 'whether the user agent is a crawler, a monitor or another bot') },
  geo: {
    country: describe(label(2), 'ISO 3166 country code of the client address; empty for private addresses'),
    region: describe(label(16), 'ISO 3166-2 subdivision code, where the geo database has it'),
    city: describe(label(128), 'city name in English, where the geo database has it'),
  },
  ip: { ip: describe(text(64), "the client's network (truncated) or a daily keyed hash of its address") },
} as const satisfies Record<keyof EnrichSpec, Record<string, v.GenericSchema>>;

/** Every column an enrichment may add (no type may declare a field of these names while it asks for it). */
export const enrichmentFieldsOf = (e: Enrichment): Record<string, v.GenericSchema> => ({
  ...(e.userAgent ? ENRICHMENT_FIELDS.user_agent : {}),
  ...(e.bots ? ENRICHMENT_FIELDS.bots : {}),
  ...(e.geo ? ENRICHMENT_FIELDS.geo : {}),
  ...(e.ip ? ENRICHMENT_FIELDS.ip : {}),
});
