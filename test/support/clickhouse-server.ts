// Runs Debian's clickhouse-server on loopback with all state in a folder we own (no systemd).
// restart() brings it back on the same ports and data, as after a crash; HTTP interface only is used by clients.
// A cluster member gets its own copy of the server's config with `extraConfig` beside it in config.d (ZooKeeper,
// remote_servers, macros), as a ClickHouse pod mounts its own; `users` files go into users.d the same way (a user the
// Kubernetes manifests define), and `env` reaches the server's environment (passwords read with from_env).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { serverControl, spawnOwned, waitFor, type OwnedProcess, type ServerControl } from '../../local/mod.ts';

/** freeze() stalls it as a merge can: connections stay open and requests hang. */
export interface ClickHouseServer extends ServerControl {
  readonly url: string;
  readonly dir: string;
  readonly ports: ClickHousePorts;
}

export interface ClickHousePorts {
  http: number;
  tcp: number;
  interserver: number;
}

const CONFIG_DIR = '/etc/clickhouse-server';

export const clickHousePorts = async (): Promise<ClickHousePorts> => ({
  http: await freePort(),
  tcp: await freePort(),
  interserver: await freePort(),
});

/** One query to one node over HTTP (no client: a test asks a particular replica), its answer as trimmed text. */
export async function askNode(url: string, query: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', body: query });
  const text = (await res.text()).trim();
  if (!res.ok) throw new Error(`${url}: ${text}`);
  return text;
}

/**
 * `port`: its HTTP port, when a client must know it before the server runs (default: a free one); `ports`: all of
 * them (a cluster's members name each other's); `extraConfig`: the XML body of a config.d file; `users`: whole files
 * of users.d by name; `env`: variables added to the server's environment.
 */
export async function startClickHouseServer(opts: {
  dir: string;
  port?: number;
  ports?: ClickHousePorts;
  extraConfig?: string;
  users?: Record<string, string>;
  env?: Record<string, string>;
}): Promise<ClickHouseServer> {
  const dir = opts.dir;
  for (const sub of ['tmp', 'uf', 'fs']) mkdirSync(join(dir, sub), { recursive: true });
  const ports = opts.ports ?? { ...(await clickHousePorts()), ...(opts.port ? { http: opts.port } : {}) };
  let config = join(CONFIG_DIR, 'config.xml');
  if (opts.extraConfig || opts.users) {
    const own = join(dir, 'etc');
    for (const sub of ['config.d', 'users.d']) mkdirSync(join(own, sub), { recursive: true });
    for (const file of ['config.xml', 'users.xml']) copyFileSync(join(CONFIG_DIR, file), join(own, file));
    if (opts.extraConfig)
      writeFileSync(join(own, 'config.d', 'edge-events.xml'), `<yandex>\n${opts.extraConfig}\n</yandex>\n`);
    for (const [name, text] of Object.entries(opts.users ?? {})) writeFileSync(join(own, 'users.d', name), text);
    config = join(own, 'config.xml');
  }
  const url = `http://127.0.0.1:${ports.http}`;
  let proc: OwnedProcess;

  const launch = async () => {
    proc = spawnOwned(
      'clickhouse-server',
      [
        `--config-file=${config}`,
        '--',
        `--path=${dir}/`,
        `--tmp_path=${dir}/tmp/`,
        `--user_files_path=${dir}/uf/`,
        `--format_schema_path=${dir}/fs/`,
        `--logger.log=${dir}/clickhouse.log`,
        `--logger.errorlog=${dir}/clickhouse.err`,
        '--listen_host=127.0.0.1',
        '--interserver_http_host=127.0.0.1',
        `--http_port=${ports.http}`,
        `--tcp_port=${ports.tcp}`,
        `--interserver_http_port=${ports.interserver}`,
      ],
      join(dir, 'clickhouse.out'),
      opts.env ? { env: { ...process.env, ...opts.env } } : {},
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
    { url, dir, ports },
  );
}
