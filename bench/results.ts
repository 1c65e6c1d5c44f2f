// bench/RESULTS.md: each benchmark owns a section between markers and rewrites it in place,
// headed by the machine, the date and the command that produced it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const FILE = new URL('./RESULTS.md', import.meta.url);

const version = (cmd: string, args: string[]) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim().split('\n')[0] ?? 'n/a';
  } catch {
    return 'n/a';
  }
};

export function machine(): string {
  return [
    `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `Node ${process.version}, ${version('nats-server', ['--version'])}, ` +
      `clickhouse-server ${version('dpkg-query', ['-W', '-f=${Version}', 'clickhouse-server'])}`,
  ].join('; ');
}

export function writeSection(name: string, title: string, command: string, body: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = [
    start,
    `## ${title}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\` on ${machine()}.`,
    '',
    body.trim(),
    end,
  ].join('\n');
  let text = existsSync(FILE)
    ? readFileSync(FILE, 'utf8')
    : '# Benchmark results\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs again.\n';
  const at = text.indexOf(start);
  text =
    at >= 0
      ? text.slice(0, at) + section + text.slice(text.indexOf(end) + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(FILE, text);
}

/** A one-line progress display on stderr. */
export function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.min(width, Math.round((done / total) * width));
  process.stderr.write(
    `\r${label.padEnd(24)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}   `,
  );
  if (done >= total) process.stderr.write('\n');
}
