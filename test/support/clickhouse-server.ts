// Runs Debian's clickhouse-server on loopback with all state in a folder we own (no systemd).
// restart() brings it back on the same ports and data, as after a crash; HTTP interface only is used.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { serverControl, spawnOwned, waitFor, type OwnedProcess, type ServerControl } from '../../local/mod.ts';

/** freeze() stalls it as a merge can: connections stay open and requests hang. */
export interface ClickHouseServer extends ServerControl {
  readonly url: string;
  readonly dir: string;
}

const CONFIG = '/etc/clickhouse-server/config.xml';

/** `port`: its HTTP port, when a client must know it before the server runs (default: a free one). */
export async function startClickHouseServer(opts: { dir: string; port?: number }): Promise<ClickHouseServer> {
  const dir = opts.dir;
  for (const sub of ['tmp', 'uf', 'fs']) mkdirSync(join(dir, sub), { recursive: true });
  const [http, tcp, inter] = [opts.port ?? (await freePort()), await freePort(), await freePort()];
  const url = `http://127.0.0.1:${http}`;
  let proc: OwnedProcess;

  const launch = async () => {
    proc = spawnOwned(
      'clickhouse-server',
      [
        `--config-file=${CONFIG}`,
        '--',
        `--path=${dir}/`,
        `--tmp_path=${dir}/tmp/`,
        `--user_files_path=${dir}/uf/`,
        `--format_schema_path=${dir}/fs/`,
        `--logger.log=${dir}/clickhouse.log`,
        `--logger.errorlog=${dir}/clickhouse.err`,
        '--listen_host=127.0.0.1',
        `--http_port=${http}`,
        `--tcp_port=${tcp}`,
        `--interserver_http_port=${inter}`,
      ],
      join(dir, 'clickhouse.out'),
    );
    const early = proc.exited.then((code) => {
      throw new Error(`clickhouse-server exited (${code}); see ${dir}/clickhouse.err`);
    });
    const ready = waitFor(`clickhouse-server at ${url}`, async () => {
      const res = await fetch(`${url}/ping`);
      return res.ok ? true : undefined;
    });
    await Promise.race([ready, early]);
  };

  await launch();
  return Object.assign(
    serverControl(() => proc, launch),
    { url, dir },
  );
}
