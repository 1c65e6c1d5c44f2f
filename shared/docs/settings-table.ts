// The README's table of settings, generated from their declarations (shared/config): each variable, its default,
// which processes read it (each validates only its own), and what it does. `npm run generate` writes it between the
// markers; a test fails when the README's copy is stale.
import { ROLES, settingsOf, SETTINGS, type Role, type SettingName } from '../config/mod.ts';

const SETTINGS_BEGIN = '<!-- settings: generated from shared/config by npm run generate -->';
const SETTINGS_END = '<!-- /settings -->';

const PROCESSES = (Object.keys(ROLES) as Role[]).filter((r) => r !== 'all');

/** The default as the schema says it (valibot's optional default), unless the setting words it itself. */
function defaultOf(name: SettingName): string {
  const setting = SETTINGS[name];
  if (setting.shown) return setting.shown;
  const fallback = (setting.schema as { default?: unknown }).default;
  return fallback === undefined ? 'none' : `\`${String(fallback)}\``;
}

function settingsTable(): string {
  const readers = (name: SettingName) => {
    const roles = PROCESSES.filter((r) => settingsOf(r).includes(name));
    return roles.length ? roles.join(', ') : (SETTINGS[name].by ?? '`npm start`');
  };
  const rows = (Object.keys(SETTINGS) as SettingName[]).map(
    (name) => `| \`${name}\` | ${defaultOf(name)} | ${readers(name)} | ${SETTINGS[name].what} |`,
  );
  return ['| variable | default | read by | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** `readme` with its table of settings replaced by the current one. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(SETTINGS_BEGIN);
  const end = readme.indexOf(SETTINGS_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${SETTINGS_BEGIN} … ${SETTINGS_END} section`);
  return `${readme.slice(0, start + SETTINGS_BEGIN.length)}\n${settingsTable()}\n${readme.slice(end)}`;
}
