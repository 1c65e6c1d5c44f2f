// For the manifest tests: renders each kustomize overlay with the kubectl on PATH (`kubectl kustomize`,
// what `kubectl apply -k` sends) and parses YAML into objects, with typed lookups by kind and name.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { parseAllDocuments } from 'yaml';

export const K8S_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = join(K8S_DIR, '..', '..');

export type Metadata = NonNullable<IConfigMap['metadata']>;
export type TypeMeta = { apiVersion: string; kind: string };
export type K8sObject = TypeMeta & { metadata: Metadata & { name: string } };

export interface Build {
  overlay: string;
  objects: K8sObject[];
  error?: string;
}

export function findKubectl(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function overlayNames(): string[] {
  return readdirSync(join(K8S_DIR, 'overlays')).sort();
}

export function buildOverlay(kubectl: string, overlay: string): Build {
  return buildKustomization(kubectl, join(K8S_DIR, 'overlays', overlay), overlay);
}

/** A kustomization outside overlays/ (an option layered on one, as tls/ is), named `overlay` in the build. */
export function buildKustomization(kubectl: string, dir: string, overlay: string): Build {
  try {
    const out = execFileSync(kubectl, ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { overlay, objects: parseObjects(out, `overlay ${overlay}`) };
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr;
    return { overlay, objects: [], error: stderr?.trim() || (err as Error).message };
  }
}

export function readObjects(path: string): K8sObject[] {
  return parseObjects(readFileSync(path, 'utf8'), path);
}

function parseObjects(text: string, where: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length) throw new Error(`${where}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null) return [];
    if (!isObject(value)) throw new Error(`${where}: a document is not a Kubernetes object`);
    return [value];
  });
}

function isObject(value: unknown): value is K8sObject {
  const v = value as Partial<K8sObject> | undefined;
  return typeof v?.apiVersion === 'string' && typeof v.kind === 'string' && typeof v.metadata?.name === 'string';
}

/** The objects a kubernetes-models type guard accepts (`Deployment.is`, `Service.is`, …). */
export function ofKind<T extends TypeMeta>(
  objects: K8sObject[],
  is: (value: unknown) => value is T,
): Array<T & K8sObject> {
  return objects.filter((o): o is T & K8sObject => is(o));
}

export function named<T extends K8sObject>(objects: T[], name: string): T {
  const found = objects.find((o) => o.metadata.name === name || generatedFrom(o.metadata.name) === name);
  if (!found) throw new Error(`no ${objects[0]?.kind ?? 'object'} named ${name}`);
  return found;
}

/** configMapGenerator/secretGenerator names end in a content hash: edge-events-config-5g7h9k2m4t. */
export const generatedFrom = (name: string) => name.replace(/-[a-z0-9]{10}$/, '');
