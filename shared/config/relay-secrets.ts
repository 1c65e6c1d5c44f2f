// A webhook relay's signing secret, resolved from the environment variable its `secret_env` names when the
// configuration is loaded (RELAYS sits in a ConfigMap; the secret in a Secret): Standard Webhooks secrets,
// `whsec_<base64 of 24–64 random bytes>`, several separated by spaces while one is being rotated in. The decoded keys
// are held where neither JSON nor inspection shows them; a missing or malformed secret stops the sink at start,
// naming RELAYS, the relay and the variable, never the value.
import type { RelaySpec } from './sources.ts';

const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom');

type WebhookSpec = Extract<RelaySpec, { kind: 'webhook' }>;
/** A relay as a process uses it: a webhook's signing keys resolved from its `secret_env`. */
export type Relay = Exclude<RelaySpec, WebhookSpec> | (WebhookSpec & { signing: SigningKeys });

/** A webhook relay's signing keys (decoded `whsec_` secrets); shown nowhere: JSON and inspection say [redacted]. */
export class SigningKeys {
  readonly #keys: readonly Uint8Array[];
  /** Why there are no keys (the variable unset or malformed), naming RELAYS, the relay and the variable only. */
  readonly problem?: string;
  constructor(keys: readonly Uint8Array[], problem?: string) {
    this.#keys = keys;
    if (problem) this.problem = problem;
  }
  /** The HMAC keys: the first signs, the others too while a secret is being rotated. */
  get keys(): readonly Uint8Array[] {
    return this.#keys;
  }
  toJSON = () => (this.problem ? `[none: ${this.problem}]` : '[redacted]');
  [INSPECT] = () => this.toJSON();
}

/** Standard Webhooks secrets are 24 to 64 random bytes, base64 after `whsec_`. */
const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

function keysOf(text: string): Uint8Array[] | undefined {
  const keys: Uint8Array[] = [];
  for (const secret of text.trim().split(/\s+/).filter(Boolean)) {
    const b64 = WHSEC.exec(secret)?.[1];
    if (!b64) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    } catch {
      return undefined;
    }
    if (bytes.length < 24 || bytes.length > 64) return undefined;
    keys.push(bytes);
  }
  return keys.length ? keys : undefined;
}

/**
 * The relays with each webhook's signing keys, read from the variable its `secret_env` names in `env` (the same
 * environment the configuration comes from). A missing or malformed secret is not an error here — only the sink
 * signs, and the tools that read RELAYS (streams:apply) need no secret — but a problem the sink refuses to start
 * with (signingProblems).
 */
export function resolveRelaySecrets(relays: readonly RelaySpec[], env: Record<string, string | undefined>): Relay[] {
  return relays.map((r, i): Relay => {
    if (r.kind !== 'webhook') return r;
    const value = env[r.secret_env];
    const keys = value ? keysOf(value) : undefined;
    const where = `RELAYS at ${i}.secret_env (relay ${r.name}): ${r.secret_env}`;
    const problem = keys
      ? undefined
      : value
        ? `${where} (<redacted, ${value.length} characters>) must hold whsec_ and the base64 of 24 to 64 random ` +
          'bytes, several separated by spaces'
        : `${where} is not set: it must hold the signing secret, whsec_ and the base64 of 24 to 64 random bytes`;
    return { ...r, signing: new SigningKeys(keys ?? [], problem) };
  });
}

/** What stops a process that signs webhooks (the sink): a line per webhook relay without a usable secret. */
export const signingProblems = (relays: readonly Relay[]): string[] =>
  relays.flatMap((r) => (r.kind === 'webhook' && r.signing.problem ? [r.signing.problem] : []));
