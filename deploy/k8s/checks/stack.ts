// For the manifest tests: the edge-events processes of a build with their environment parsed by the
// processes' own loadConfig, and the NATS server with its rendered nats.conf.
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { loadConfig, type Config } from '../../../shared/config/mod.ts';
import { NATS_ROLES } from '../../../streams/mod.ts';
import { named, ofKind, type Build } from './render.ts';
import {
  allContainers,
  containerEnv,
  roleOf,
  workloads,
  type EnvValue,
  type Role,
  type Workload,
} from './workloads.ts';

/** Secrets the operator creates (deploy/k8s/README.md) with their keys; prod references them. */
export const EXTERNAL_SECRETS = {
  'clickhouse-credentials': ['CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'CLICKHOUSE_READER_PASSWORD'],
  'collector-sources': ['sources.json'],
  'reader-keys': ['READ_KEYS', 'CONSOLE_TOKEN', 'ADMIN_KEYS'],
  'archive-credentials': ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  'nats-users': [...NATS_ROLES],
  'nats-tls': ['tls.crt', 'tls.key', 'ca.crt'],
  'collector-ip-hash': ['IP_HASH_KEY'],
};

export interface Process {
  where: string;
  workload: Workload;
  container: IContainer;
  role: Role;
  env: Map<string, EnvValue>;
  /** Throws ConfigError, as the process would refuse to start, when a value is bad. */
  cfg: Config;
}

export const processes = (b: Build): Process[] =>
  workloads(b.objects).flatMap((workload) =>
    allContainers(workload).flatMap((container) => {
      const role = roleOf(container);
      if (!role) return [];
      const env = containerEnv(container, b.objects, EXTERNAL_SECRETS);
      const cfg = loadConfig(Object.fromEntries([...env].map(([k, v]) => [k, v.value])));
      return [{ where: `${b.overlay} ${workload.kind} ${workload.name}`, workload, container, role, env, cfg }];
    }),
  );

/** The one container of a role in the build. */
export function one(b: Build, role: Role): Process {
  const found = processes(b).filter((p) => p.role === role);
  if (found.length !== 1) throw new Error(`${b.overlay}: ${found.length} ${role} containers, expected one`);
  return found[0]!;
}

/** A probe's or Service's port, numbered or named after a container port. */
export const containerPort = (c: IContainer, port: number | string | undefined) =>
  typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;

export function natsOf(b: Build) {
  const sts = named(ofKind(b.objects, StatefulSet.is), 'nats');
  const pod = sts.spec!.template.spec!;
  const container = pod.containers[0]!;
  const configMap = pod.volumes?.find((v) => v.configMap)?.configMap?.name ?? '';
  const files = named(ofKind(b.objects, ConfigMap.is), configMap).data ?? {};
  const conf = files['nats.conf'] ?? '';
  return { sts, pod, container, conf, files, env: containerEnv(container, b.objects, EXTERNAL_SECRETS) };
}

/** A top-level `key: value` of nats.conf. */
export const confSetting = (conf: string, key: string) =>
  new RegExp(`^\\s*${key}:\\s*(\\S+)`, 'm').exec(conf)?.[1] ?? '';
export const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1] ?? NaN);
