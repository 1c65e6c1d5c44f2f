// The collector's command line, for the single-file build (tools/build-binary.ts) and `npm run collector:bun`:
// `--help`, `--version`, and every setting the collector reads as a flag — `--nats-url=nats://…` or `--nats-url
// nats://…` is NATS_URL. A flag wins over the environment, which wins over the build's defaults. A flag that is no
// collector setting is refused, naming it, before anything starts; so is a secret (a password, a key), which every
// process on the machine could read from the command line: those come from the environment only.
import { isSecretSetting, SETTINGS, settingsOf, type SettingName } from '../shared/config/mod.ts';

const NAMES = settingsOf('collector');

/** What the command line asks: to run with these settings, or to print something and exit with a code. */
export type CommandLine = { run: Record<string, string> } | { print: string; exit: number };

const flagOf = (name: SettingName) => `--${name.toLowerCase().replaceAll('_', '-')}`;
const nameOf = (flag: string) => flag.slice(2).toUpperCase().replaceAll('-', '_') as SettingName;

/** The settings' help: each flag, its variable and default, and what it does (the README's words, without markup);
 *  a default the build carries (the catalog, the country database) is said to be built in. */
function help(version: string, defaults: Record<string, string>): string {
  const plain = (text: string) => text.replace(/[`*]/g, '').replace(/\[([^\]]+)\]\([^)]+\)/g, '$1');
  const lines = NAMES.map((name) => {
    const s = SETTINGS[name] as { schema: { default?: unknown }; what: string; shown?: string };
    const fallback =
      name in defaults
        ? 'built in'
        : (s.shown ?? (s.schema.default === undefined ? undefined : String(s.schema.default)));
    const head = isSecretSetting(name)
      ? `  ${name}  (environment only: a secret)`
      : `  ${flagOf(name)}=…  (${name}${fallback === undefined ? '' : `, default ${plain(fallback)}`})`;
    return `${head}\n      ${plain(s.what)}`;
  });
  return [
    `edge-collector ${version}: takes product-analytics events over HTTP and publishes them to NATS JetStream.`,
    '',
    'usage: edge-collector [--setting=value …]   every setting also from its environment variable',
    '       edge-collector --help | --version',
    '',
    'settings:',
    ...lines,
    '',
  ].join('\n');
}

/** Reads `argv` (the arguments after the program) over `env` and `defaults`. */
export function readCommandLine(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  opts: { version: string; defaults?: Record<string, string> },
): CommandLine {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { print: help(opts.version, opts.defaults ?? {}), exit: 0 };
    if (arg === '--version' || arg === '-v') return { print: `edge-collector ${opts.version}\n`, exit: 0 };
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    const name = m ? nameOf(arg.split('=')[0]!) : undefined;
    if (!m || !name || !NAMES.includes(name)) {
      return { print: `edge-collector: unknown argument ${JSON.stringify(arg)}; --help lists the settings\n`, exit: 2 };
    }
    if (isSecretSetting(name)) {
      const why = 'a secret on the command line is visible to every process on the machine';
      return {
        print: `edge-collector: give ${name} in the environment, not as ${arg.split('=')[0]}: ${why}\n`,
        exit: 2,
      };
    }
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) return { print: `edge-collector: ${arg} needs a value\n`, exit: 2 };
    }
    flags[name] = value;
  }
  const set: Record<string, string> = { ...opts.defaults };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) set[k] = v;
  return { run: { ...set, ...flags } };
}
