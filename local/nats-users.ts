// The NATS users of `npm start`: a new password for every role's user on each start, each in its own 0600 file under
// DATA_DIR (the tools run beside it read their role's), and the local nats-server's nats.conf naming the users and
// their permissions (streams/permissions.ts). The passwords reach the server through its environment, not the file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localPasswordFile, NATS_ROLES, natsAuthorization, passwordVariableOf, type NatsRole } from '../streams/mod.ts';

export interface LocalNatsUsers {
  /** The nats.conf and the environment its variables come from: startNatsServer's `config`. */
  config: { file: string; env: Record<string, string> };
  passwordOf(role: NatsRole): string;
}

/** A letter, then 48 hex digits: nats-server reads it from its environment as the string it is. */
const newPassword = () => `p${randomBytes(24).toString('hex')}`;

/** Writes the users of a local nats-server whose folder is `natsDir`, their passwords under `dataDir`. */
export function writeLocalNatsUsers(dataDir: string, natsDir: string): LocalNatsUsers {
  const passwords = Object.fromEntries(NATS_ROLES.map((role) => [role, newPassword()])) as Record<NatsRole, string>;
  for (const role of NATS_ROLES) {
    const file = localPasswordFile(dataDir, role);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Made anew, so the mode holds whatever an older file had.
    rmSync(file, { force: true });
    writeFileSync(file, `${passwords[role]}\n`, { mode: 0o600, flag: 'wx' });
  }
  mkdirSync(natsDir, { recursive: true });
  const file = join(natsDir, 'nats.conf');
  writeFileSync(file, natsAuthorization());
  return {
    config: { file, env: Object.fromEntries(NATS_ROLES.map((role) => [passwordVariableOf(role), passwords[role]])) },
    passwordOf: (role) => passwords[role],
  };
}
