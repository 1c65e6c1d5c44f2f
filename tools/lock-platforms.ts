// `npm run lock:platforms`: records in package-lock.json the other-platform optional packages
// (@chdb/lib-darwin-*, @deno/win32-*, …) that the registry reachable here lacks and npm therefore
// leaves out — after which `npm ci` refuses the lock. Each gets an os/cpu/libc-restricted optional
// entry, so npm skips it on this platform without fetching, and keeps it on later installs.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'android', 'sunos', 'aix'];
const CPU = ['x64', 'arm64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

type Entry = {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, Entry> };
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const tokens = name.split(/[/@_-]/);
    const os = OS.filter((o) => tokens.includes(o) || (o === 'win32' && tokens.includes('windows')));
    const cpu = CPU.filter(
      (c) =>
        tokens.includes(c) ||
        (c === 'x64' && tokens.includes('x86_64')) ||
        (c === 'arm64' && tokens.includes('aarch64')),
    );
    if (os.length !== 1 || cpu.length !== 1) {
      console.error(`cannot tell the platform of ${name}; leaving it out`);
      continue;
    }
    const libc = tokens.includes('musl')
      ? ['musl']
      : tokens.includes('gnu') || tokens.includes('glibc')
        ? ['glibc']
        : undefined;
    lock.packages[`node_modules/${name}`] = {
      version: range.replace(/^[\^~=]/, ''),
      optional: true,
      os,
      cpu,
      ...(libc ? { libc } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`recorded ${added} other-platform optional packages`);
