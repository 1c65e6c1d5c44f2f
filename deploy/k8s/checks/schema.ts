// For the manifest tests: validates an object against the Kubernetes API schemas of kubernetes-models
// (looked up by apiVersion and kind), and KEDA's ScaledObject, which it does not know, by hand.
import type { K8sObject } from './render.ts';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** Throws naming every schema violation of the object; unknown kinds are refused. */
export async function validateObject(obj: K8sObject): Promise<void> {
  if (obj.apiVersion === 'keda.sh/v1alpha1' && obj.kind === 'ScaledObject') return validateScaledObject(obj);
  const module = (await import(`kubernetes-models/${obj.apiVersion}/${obj.kind}`).catch(() => ({}))) as Record<
    string,
    ModelClass
  >;
  const Model = module[obj.kind];
  if (!Model) throw new Error(`${obj.kind} ${obj.metadata.name}: no schema for ${obj.apiVersion} ${obj.kind}`);
  try {
    new Model(obj).validate();
  } catch (err) {
    throw new Error(`${obj.kind} ${obj.metadata.name}: ${(err as Error).message}`);
  }
}

export interface ScaledObject extends K8sObject {
  spec: {
    scaleTargetRef: { name: string; kind?: string };
    pollingInterval?: number;
    cooldownPeriod?: number;
    minReplicaCount?: number;
    maxReplicaCount?: number;
    fallback?: { failureThreshold: number; replicas: number };
    triggers: Array<{ type: string; metadata: Record<string, string> }>;
  };
}

export const isScaledObject = (o: unknown): o is ScaledObject =>
  (o as K8sObject).apiVersion === 'keda.sh/v1alpha1' && (o as K8sObject).kind === 'ScaledObject';

/** The fields of keda.sh/v1alpha1 ScaledObject we use, as its CRD types them (trigger metadata: strings only). */
function validateScaledObject(obj: K8sObject): void {
  const problems: string[] = [];
  const spec = (obj as Partial<ScaledObject>).spec;
  if (typeof spec?.scaleTargetRef?.name !== 'string') problems.push('spec.scaleTargetRef.name must be a string');
  for (const field of ['pollingInterval', 'cooldownPeriod', 'minReplicaCount', 'maxReplicaCount'] as const) {
    const value = spec?.[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      problems.push(`spec.${field} must be a whole number`);
  }
  if (
    spec?.fallback &&
    !(Number.isInteger(spec.fallback.failureThreshold) && Number.isInteger(spec.fallback.replicas))
  ) {
    problems.push('spec.fallback needs whole failureThreshold and replicas');
  }
  if (!Array.isArray(spec?.triggers) || spec.triggers.length === 0)
    problems.push('spec.triggers must be a non-empty list');
  for (const [i, trigger] of (spec?.triggers ?? []).entries()) {
    if (typeof trigger.type !== 'string') problems.push(`spec.triggers[${i}].type must be a string`);
    for (const [key, value] of Object.entries(trigger.metadata ?? {})) {
      if (typeof value !== 'string') problems.push(`spec.triggers[${i}].metadata.${key} must be a string (quote it)`);
    }
  }
  if (problems.length) throw new Error(`ScaledObject ${obj.metadata.name}: ${problems.join('; ')}`);
}
