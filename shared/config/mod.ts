// shared/config: each process's settings — declared once (settings.ts: variable, schema, default, meaning), grouped
// into the sections each role reads (roles.ts), parsed from the environment once per process (load.ts). Processes'
// entry points, the tools and the tests use it; the collector core never does (it is given plain options).
export { loadConfig, loadConfigOrExit, typeKeysOf, ConfigError, ENV_VARS, isSecretSetting } from './load.ts';
export { ROLES, settingsOf, type Config, type ConfigOf, type Role } from './roles.ts';
export { SETTINGS, type SettingName } from './settings.ts';
export { SourcesSchema, type Source } from './sources.ts';
export { signingProblems, SigningKeys, type Relay } from './relay-secrets.ts';
export { archiveLocation, ARCHIVE_FORMS, type ArchiveLocation } from './places.ts';
