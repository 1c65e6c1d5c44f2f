// Process configuration: the environment parsed once, by the schemas of the settings the process's role reads
// (settings.ts, roles.ts), into typed sections. Bad values stop start-up with a message naming each variable —
// never echoing a secret's value; nothing else reads the environment.
import * as v from 'valibot';
import { exitIfRefused, redactUrl, Refused, type Catalog } from '../mod.ts';
import { GROUPS, ROLES, settingsOf, type ConfigOf, type Role } from './roles.ts';
import { archiveLocation } from './places.ts';
import { resolveRelaySecrets } from './relay-secrets.ts';
import { SETTINGS, type Env } from './settings.ts';

export class ConfigError extends Refused {
  override name = 'ConfigError';
}

/** Every environment variable the processes read (deploy manifests are checked against it). */
export const ENV_VARS: readonly string[] = Object.keys(SETTINGS);

/** Settings whose values are never repeated in an error. */
/** Settings that hold a secret: never shown in an error, never taken from a command line (which `ps` shows). */
export const isSecretSetting = (name: string): boolean => /KEY|TOKEN|PASSWORD|SECRET/.test(name);
/** Shown redacted: the secrets, and URLs (which may carry credentials). */
const redacted = (name: string) => isSecretSetting(name) || name.endsWith('_URL');

/**
 * The catalog keys of the types a setting names (`RELAYS`, a source's `types`), or undefined for all types. A name
 * the catalog does not know is a configuration error naming the setting.
 */
export function typeKeysOf(
  names: readonly string[] | undefined,
  catalog: Catalog,
  setting: string,
): string[] | undefined {
  if (!names) return undefined;
  const unknown = names.filter((n) => !catalog.find(n));
  if (unknown.length) {
    const known = catalog.types.map((t) => t.name).join(', ');
    throw new ConfigError(
      `${setting}: unknown event type ${unknown.map((n) => JSON.stringify(n)).join(', ')} (the catalog has ${known})`,
    );
  }
  return names.map((n) => catalog.find(n)!.key);
}

/** Parses the given environment (process.env, Deno.env.toObject(), or a test's record) for `role`: only the
 *  settings that role reads are validated. */
export function loadConfig<R extends Role = 'all'>(
  env: Record<string, string | undefined>,
  role: R = 'all' as R,
): ConfigOf<R> {
  const names = settingsOf(role);
  const schema = v.object(Object.fromEntries(names.map((n) => [n, SETTINGS[n].schema])));
  const defined = Object.fromEntries(
    names.filter((n) => env[n] !== undefined && env[n] !== '').map((n) => [n, env[n]]),
  );
  const parsed = v.safeParse(schema, defined);
  const issues = parsed.issues ?? [];
  const e = parsed.output as Env;
  // A fetch holds its first message up to SINK_BATCH_WAIT_MS before the sink sees it; were the ack wait no longer,
  // JetStream would redeliver it into the same fetch and the batch would hold it twice.
  const ackWaitTooShort =
    parsed.success &&
    names.includes('SINK_ACK_WAIT_SECONDS') &&
    e.SINK_ACK_WAIT_SECONDS * 1000 < 2 * e.SINK_BATCH_WAIT_MS;
  // An S3 server's URL is used only by an s3:// ARCHIVE_URL: beside a folder (the default too) or an http(s) URL
  // naming its own server, it would be ignored — and the archive land somewhere else than meant.
  const archiveWhere =
    parsed.success && names.includes('ARCHIVE_S3_ENDPOINT') && e.ARCHIVE_S3_ENDPOINT
      ? archiveLocation(e.ARCHIVE_URL ?? `${e.DATA_DIR}/archive`)
      : undefined;
  const endpointUnused =
    typeof archiveWhere !== 'object'
      ? undefined
      : archiveWhere.kind === 'folder'
        ? 'ARCHIVE_URL names a folder'
        : archiveWhere.endpoint && 'ARCHIVE_URL names its own server';
  if (!parsed.success || ackWaitTooShort || endpointUnused) {
    const lines = issues.map((issue) => {
      const path = v.getDotPath(issue) ?? '?';
      const name = path.split('.')[0]!;
      const where = path === name ? '' : ` at ${path.slice(name.length + 1)}`;
      return `  ${shown(name, env[name])}${where}: ${issue.message}`;
    });
    if (ackWaitTooShort)
      lines.push(
        `  ${shown('SINK_ACK_WAIT_SECONDS', env.SINK_ACK_WAIT_SECONDS)}: must be at least twice SINK_BATCH_WAIT_MS`,
      );
    if (endpointUnused)
      lines.push(
        `  ${shown('ARCHIVE_S3_ENDPOINT', env.ARCHIVE_S3_ENDPOINT)}: used only with ARCHIVE_URL=s3://bucket/prefix, ` +
          `and ${endpointUnused}`,
      );
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  // A webhook relay's signing secret is in the variable its `secret_env` names (RELAYS itself holds no secret).
  if (names.includes('RELAYS')) e.RELAYS = resolveRelaySecrets(e.RELAYS, env);
  return Object.assign({}, ...ROLES[role].map((g: keyof typeof GROUPS) => GROUPS[g].build(e)));
}

/** `NAME="value"` (any URL in it without credentials), or `NAME=<redacted, N characters>` for a secret. */
function shown(name: string, value = ''): string {
  return redacted(name)
    ? `${name}=<redacted, ${value.length} characters>`
    : `${name}=${JSON.stringify(redactUrl(value))}`;
}

/** For entry points: parse the process's environment (or `env`) for `role` — `defaults` standing in for what it does
 *  not set — or print the reason and exit 2. */
export function loadConfigOrExit<R extends Role = 'all'>(
  role: R = 'all' as R,
  opts: { env?: Record<string, string | undefined>; defaults?: Record<string, string> } = {},
): ConfigOf<R> {
  try {
    return loadConfig({ ...opts.defaults, ...(opts.env ?? process.env) }, role);
  } catch (err) {
    return exitIfRefused(err);
  }
}
