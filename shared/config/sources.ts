// The two settings that are JSON documents: the collector's sources (who may send, with which write key, which event
// types, how fast) and the relays (where events are passed on, by NATS or webhook). A webhook relay is https unless
// it says `allow_http`, and its signing secret is never in RELAYS (a ConfigMap): `secret_env` names the environment
// variable that holds it (a Secret), resolved when the configuration is loaded (relay-secrets.ts).
import * as v from 'valibot';

const relayCommon = {
  name: v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,32}$/, 'expected lower-case letters, digits, _ or -')),
  /** Event types (names or snake_case keys); all when absent. Checked against the catalog when it is loaded. */
  types: v.optional(v.pipe(v.array(v.string()), v.minLength(1, 'name at least one type, or leave types out'))),
  batch_size: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 500),
  max_attempts: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 8),
};

export const RelaySchema = v.variant('kind', [
  v.object({ kind: v.literal('nats'), ...relayCommon }),
  v.pipe(
    v.object({
      kind: v.literal('webhook'),
      ...relayCommon,
      url: v.pipe(
        v.string(),
        v.url('expected a URL'),
        v.regex(/^https?:\/\//, 'expected an https URL'),
        v.check(
          (u) => !/^https?:\/\/[^/?#]*@/.test(u),
          'no user name or password in the URL: RELAYS is no place for secrets (the receiver checks the signature)',
        ),
      ),
      /** Plain http is refused unless the relay says so (a receiver on this machine or in the cluster). */
      allow_http: v.optional(v.boolean(), false),
      /** The environment variable holding the signing secret(s): `whsec_<base64>`, several separated by spaces. */
      secret_env: v.pipe(
        v.string('name the environment variable that holds the signing secret (whsec_…)'),
        v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable'),
      ),
      timeout_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 10_000),
    }),
    v.forward(
      v.check((r) => r.allow_http || r.url.startsWith('https://'), 'expected https (or set "allow_http": true)'),
      ['url'],
    ),
  ),
]);
/** A relay as RELAYS gives it (a webhook's secret not yet resolved: relay-secrets.ts). */
export type RelaySpec = v.InferOutput<typeof RelaySchema>;

/** A source: who may send, with which write key, which event types, how fast (events per second). */
export const SourcesSchema = v.pipe(
  v.array(
    v.object({
      name: v.pipe(v.string(), v.regex(/^[\w.-]{1,64}$/, 'expected letters, digits, _ . -')),
      key: v.pipe(v.string(), v.minLength(8, 'write keys must be at least 8 characters')),
      types: relayCommon.types,
      rate_limit: v.optional(
        v.object({ rps: v.pipe(v.number(), v.minValue(0.001)), burst: v.optional(v.pipe(v.number(), v.minValue(1))) }),
      ),
    }),
  ),
  v.check((ss) => new Set(ss.map((s) => s.key)).size === ss.length, 'write keys must be unique'),
);
export type Source = v.InferOutput<typeof SourcesSchema>[number];
