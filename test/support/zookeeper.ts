// Debian's ZooKeeper, standalone on loopback, for a ClickHouse cluster of the 18.16 server (which has no Keeper):
// QuorumPeerMain started by hand in a folder we own, with a small heap and short ticks, so a ClickHouse session
// (2 s) notices a dead ZooKeeper, and a restarted one, within seconds. restart() keeps its port and data.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { serverControl, spawnOwned, waitFor, type OwnedProcess, type ServerControl } from '../../local/mod.ts';
import { freePort } from './free-port.ts';

export interface ZooKeeper extends ServerControl {
  readonly port: number;
}

/** Where Debian's zookeeper package puts its jar and configuration. */
const JAR = '/usr/share/java/zookeeper.jar';
const CONF = '/etc/zookeeper/conf';

/** Sends a four-letter command and returns the answer ('' when nothing answers). */
export function fourLetters(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.end(command));
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(''));
  });
}

export async function startZooKeeper(dir: string): Promise<ZooKeeper> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const port = await freePort();
  writeFileSync(
    join(dir, 'zoo.cfg'),
    [
      'tickTime=500',
      'initLimit=10',
      'syncLimit=5',
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      '4lw.commands.whitelist=srvr',
    ].join('\n') + '\n',
  );
  copyFileSync(join(CONF, 'log4j.properties'), join(dir, 'log4j.properties'));
  let proc: OwnedProcess;
  const launch = async () => {
    proc = spawnOwned(
      'java',
      [
        '-Xmx128m',
        '-XX:+UseSerialGC',
        `-Dzookeeper.log.dir=${dir}`,
        '-Dzookeeper.root.logger=INFO,CONSOLE',
        '-cp',
        `${dir}:${JAR}`,
        'org.apache.zookeeper.server.quorum.QuorumPeerMain',
        join(dir, 'zoo.cfg'),
      ],
      join(dir, 'zookeeper.out'),
    );
    const early = proc.exited.then((code) => {
      throw new Error(`zookeeper exited (${code}); see ${dir}/zookeeper.out`);
    });
    const ready = waitFor(
      `zookeeper on port ${port}`,
      async () => (/Mode: /.test(await fourLetters(port, 'srvr')) ? true : undefined),
      30_000,
    );
    await Promise.race([ready, early]);
  };
  await launch();
  return Object.assign(
    serverControl(() => proc, launch),
    { port },
  );
}
