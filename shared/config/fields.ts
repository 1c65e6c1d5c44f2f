// The shapes a setting's text can take (environment variables are strings): whole numbers with a floor, flags, SQL
// identifiers, decimal rates — each a valibot schema that turns the text into its value. Places (URLs, folders,
// files) have theirs in places.ts.
import * as v from 'valibot';
import { parseTrustedProxies, type TrustedProxies } from '../mod.ts';

export const int = (fallback: number, min = 0) =>
  v.optional(
    v.pipe(v.string(), v.trim(), v.regex(/^\d+$/, 'expected a whole number'), v.transform(Number), v.minValue(min)),
    String(fallback),
  );

export const sqlName = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an SQL identifier'));

export const flag = (fallback: boolean) =>
  v.optional(
    v.pipe(
      v.picklist(['true', 'false', '1', '0'], 'expected true or false'),
      v.transform((x) => x === 'true' || x === '1'),
    ),
    fallback ? 'true' : 'false',
  );

export const decimal = (fallback: string, signed = false) =>
  v.optional(
    v.pipe(v.string(), v.regex(signed ? /^-?\d+(\.\d+)?$/ : /^\d+(\.\d+)?$/, 'expected a number'), v.transform(Number)),
    fallback,
  );

/** A comma-separated list, trimmed, empty entries dropped. */
export const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A comma-separated list of base URLs, without trailing slashes; undefined when unset or empty. */
export const urls = (text: string | undefined) => {
  const out = text && list(text).map((u) => u.replace(/\/+$/, ''));
  return out && out.length ? out : undefined;
};

/** TRUSTED_PROXIES: a number of hops or ranges (shared/ip-address.ts); unset or `0` trusts none. */
export const trustedProxies = v.optional(
  v.pipe(
    v.string(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const parsed = parseTrustedProxies(dataset.value);
      if (typeof parsed !== 'string') return parsed as TrustedProxies | undefined;
      addIssue({ message: `${parsed}; expected a number of hops or CIDRs, comma-separated` });
      return NEVER;
    }),
  ),
);

/** Keys, comma-separated, each at least `min` characters (a key may also be given as `sha256:<hex>` of itself). */
export const keyList = (min: number, what: string) =>
  v.pipe(
    v.string(),
    v.transform(list),
    v.check((keys) => keys.every((k) => k.length >= min), `${what} keys must be at least ${min} characters`),
  );

/** A JetStream domain: it becomes part of API subjects ($JS.<domain>.API), so letters, digits, `-` and `_` only. */
const DOMAIN = /^[A-Za-z0-9_-]{1,64}$/;
export const jetStreamDomain = v.pipe(
  v.string(),
  v.regex(DOMAIN, 'expected a JetStream domain (letters, digits, - _)'),
);
export const jetStreamDomains = v.pipe(
  v.string(),
  v.transform(list),
  v.check(
    (ds) => ds.every((d) => DOMAIN.test(d)),
    'expected JetStream domains (letters, digits, - _), comma-separated',
  ),
);
