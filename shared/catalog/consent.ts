// Consent from the catalog: a type may need a consent category (`consent: { category: analytics }`: an event without
// it is not stored — answered 2xx, counted), a field may need one (`email: { …, consent: marketing }`: without it
// the event is stored with the field empty), and a type says what an event that carries no consent information gets
// (`default: granted`, as server-side events usually carry none, or `denied`). An event carries its consent as
// Segment's `context.consent.categoryPreferences` or, on the other routes, as a `consent` object beside its fields:
// `{ "analytics": true, "marketing": false }`. The collector's consent step applies it.
import * as v from 'valibot';

const category = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9_]*$/, 'expected a consent category in snake_case (analytics, marketing, …)'),
);

export const ConsentSpec = v.strictObject({
  /** The category an event of the type needs to be stored at all. */
  category: v.optional(category),
  /** What an event that says nothing about consent gets. */
  default: v.optional(v.picklist(['granted', 'denied']), 'granted'),
});
export type ConsentSpec = v.InferOutput<typeof ConsentSpec>;
/** A field's `consent:`. */
export const FieldConsent = v.optional(category);

/** A type's consent rules, compiled: undefined when neither the type nor a field names a category. */
export interface Consent {
  readonly category?: string;
  readonly default: 'granted' | 'denied';
  /** Fields stored only with their category granted; without it, `empty` is stored instead. */
  readonly fields: readonly { name: string; category: string; empty: unknown }[];
}

/** An event's consent: each category it grants or refuses; absent: it says nothing. */
export type Granted = Readonly<Record<string, boolean>>;

/** Whether `granted` (or, when the event says nothing, the type's default) allows `category`. */
export const allows = (consent: Consent, granted: Granted | undefined, category: string): boolean =>
  granted === undefined ? consent.default === 'granted' : granted[category] === true;

/** The consent an event's `consent` value gives, or a message saying what is wrong with it. */
export function grantedOf(value: unknown): Granted | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'expected an object of consent categories, each true or false';
  for (const [k, given] of Object.entries(value))
    if (typeof given !== 'boolean') return `category ${JSON.stringify(k)}: expected true or false`;
  return value as Granted;
}
