// For the manifest tests: the pods a build runs (from Deployments, StatefulSets and Jobs), which of their
// containers are edge-events processes and in which role (a Job runs the bundle of an npm script), their resolved
// environment, and quantities.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { Secret } from 'kubernetes-models/v1/Secret';
import { BUNDLES, bundleOf } from '../../../tools/build.ts';
import { named, ofKind, REPO_DIR, type K8sObject, type Metadata } from './render.ts';

export interface Workload {
  kind: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  pod: IPodSpec;
}

export function workloads(objects: K8sObject[]): Workload[] {
  const of = (obj: K8sObject, template: { metadata?: Metadata; spec?: IPodSpec } | undefined): Workload => ({
    kind: obj.kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    labels: template?.metadata?.labels ?? {},
    pod: template?.spec ?? { containers: [] },
  });
  return [
    ...ofKind(objects, Deployment.is).map((d) => of(d, d.spec?.template)),
    ...ofKind(objects, StatefulSet.is).map((s) => of(s, s.spec?.template)),
    ...ofKind(objects, Job.is).map((j) => of(j, j.spec?.template)),
  ];
}

export const allContainers = (w: Workload): IContainer[] => [...(w.pod.initContainers ?? []), ...w.pod.containers];

/** What an edge-events container runs: an image target (collector, sink, reader, archiver) or a Job's npm script. */
export type Role = 'collector' | 'sink' | 'reader' | 'archiver' | JobScript;
export type JobScript = 'streams:apply' | 'schema:apply';
const OUR_IMAGE = /(?:^|\/)edge-events[-/](collector|sink|reader|archiver)(?::[\w.-]+)?$/;

const scripts = (
  JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** The command a Job runs for an npm script `tsx <entry> <args>`: its entry's bundle, `node dist/….mjs <args>`. */
function bundleCommand(script: JobScript): string[] {
  const [tsx, entry, ...args] = (scripts[script] ?? '').split(' ');
  if (tsx !== 'tsx' || entry !== BUNDLES[script])
    throw new Error(`npm script ${script} is not \`tsx ${BUNDLES[script]} …\` (tools/build.ts BUNDLES)`);
  return ['node', bundleOf(entry), ...args];
}
export const JOB_COMMANDS: Record<JobScript, string[]> = {
  'streams:apply': bundleCommand('streams:apply'),
  'schema:apply': bundleCommand('schema:apply'),
};

export function roleOf(c: IContainer): Role | undefined {
  const target = OUR_IMAGE.exec(c.image ?? '')?.[1];
  if (!target) return undefined;
  if (!c.command) return target as Role;
  const script = (Object.keys(JOB_COMMANDS) as JobScript[]).find(
    (s) => JSON.stringify(JOB_COMMANDS[s]) === JSON.stringify(c.command),
  );
  if (script) return script;
  throw new Error(`container ${c.name}: unexpected command ${JSON.stringify(c.command)}`);
}

export const imageTag = (image: string) => /:([\w.-]+)$/.exec(image.split('/').pop() ?? '')?.[1];

/** Where a variable's value comes from, for messages; the value itself when the build holds it. */
export interface EnvValue {
  source: string;
  value: string;
}

/**
 * The container's environment as the kubelet would assemble it. Values of Secrets the build does not hold
 * (created by the operator, listed in `external` with their keys) read as `<secret name>`; field references
 * as `<field path>`. Throws on a reference to anything that does not exist.
 */
export function containerEnv(
  c: IContainer,
  objects: K8sObject[],
  external: Record<string, string[]>,
): Map<string, EnvValue> {
  const env = new Map<string, EnvValue>();
  const configMaps = ofKind(objects, ConfigMap.is);
  const secrets = ofKind(objects, Secret.is);
  const configMapData = (name = '') => named(configMaps, name).data ?? {};
  const secretValue = (name = '', key: string): string => {
    const secret = secrets.find((s) => s.metadata.name === name);
    if (secret) {
      const data = secret.data?.[key];
      if (data === undefined) throw new Error(`Secret ${name} has no key ${key}`);
      return Buffer.from(data, 'base64').toString('utf8');
    }
    if (!external[name]?.includes(key))
      throw new Error(`Secret ${name} (key ${key}) is neither in the build nor a documented external Secret`);
    return `<${name}:${key}>`;
  };
  for (const from of c.envFrom ?? []) {
    if (from.prefix) throw new Error(`container ${c.name}: envFrom prefixes are not used here`);
    if (from.configMapRef) {
      for (const [key, value] of Object.entries(configMapData(from.configMapRef.name)))
        env.set(key, { source: `ConfigMap ${from.configMapRef.name}`, value });
    } else if (from.secretRef) {
      const secret = named(secrets, from.secretRef.name ?? '');
      for (const key of Object.keys(secret.data ?? {}))
        env.set(key, { source: `Secret ${secret.metadata.name}`, value: secretValue(secret.metadata.name, key) });
    }
  }
  for (const e of c.env ?? []) {
    const ref = e.valueFrom;
    if (ref?.secretKeyRef)
      env.set(e.name, {
        source: `Secret ${ref.secretKeyRef.name}`,
        value: secretValue(ref.secretKeyRef.name, ref.secretKeyRef.key),
      });
    else if (ref?.configMapKeyRef) {
      const value = configMapData(ref.configMapKeyRef.name)[ref.configMapKeyRef.key];
      if (value === undefined)
        throw new Error(`ConfigMap ${ref.configMapKeyRef.name} has no key ${ref.configMapKeyRef.key}`);
      env.set(e.name, { source: `ConfigMap ${ref.configMapKeyRef.name}`, value });
    } else if (ref?.fieldRef) env.set(e.name, { source: 'pod field', value: `<${ref.fieldRef.fieldPath}>` });
    else if (ref) throw new Error(`container ${c.name}: ${e.name} uses an unsupported valueFrom`);
    else env.set(e.name, { source: 'container env', value: e.value ?? '' });
  }
  return env;
}

/** CPU in cores ("250m", "2") or memory in bytes ("384Mi", "1Gi", "9G"). */
export function quantity(q: string | number | undefined): number {
  if (typeof q === 'number') return q;
  const m = /^(\d+(?:\.\d+)?)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.exec(q ?? '');
  if (!m) throw new Error(`not a quantity: ${q}`);
  const unit =
    { m: 1e-3, k: 1e3, Ki: 2 ** 10, M: 1e6, Mi: 2 ** 20, G: 1e9, Gi: 2 ** 30, T: 1e12, Ti: 2 ** 40 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}
