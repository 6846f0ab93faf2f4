/**
 * What a manifest of dist/ is to the controllers (`Manifest`): its identity, its role, its content, the annotations
 * Argo CD reads from the live object (`argocd.argoproj.io/sync-options` and `compare-options`, Helm's
 * `helm.sh/resource-policy`), and for a node pool what CAPA reads of it.
 */
import { createHash } from 'crypto';
import { annotationOptions } from './argocd-rules';
import type { Manifest, ManifestRole, PoolFacts } from './model';
import { AUTOSCALER_MAX_SIZE, AUTOSCALER_MIN_SIZE, REPLICAS_MANAGED_BY } from '../../capi/machine-pool-annotations';
import { Annotations } from '../../fleet/labels';
import type { KubeObject } from '../../kube/types';

/** Helm's annotation that keeps an object when its release (or Application) is deleted. */
const HELM_RESOURCE_POLICY = 'helm.sh/resource-policy';

/** The roles of the manifests the controllers treat apart. */
function roleOf(kind: string): ManifestRole {
  switch (kind) {
    case 'Application': return 'application';
    case 'ApplicationSet': return 'applicationset';
    case 'AppProject': return 'project';
    case 'Cluster': return 'cluster';
    case 'MachinePool': return 'machinepool';
    case 'AWSManagedMachinePool': return 'managedmachinepool';
    default: return 'other';
  }
}

/** An object's identity on the cluster: kind, namespace and name. */
export const objectKey = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * A manifest of `object`, with `extra` (what an Application or ApplicationSet manifest says of its spec, a pool's facts);
 * its content is its spec's id for those, else a digest of the object.
 */
export function manifestOf(object: KubeObject, extra: Partial<Manifest>, key: string = objectKey(object)): Manifest {
  const annotations = object.metadata.annotations ?? {};
  const sync = annotations[Annotations.ARGOCD_SYNC_OPTIONS];
  const keep = annotations[HELM_RESOURCE_POLICY];
  return {
    key,
    role: roleOf(object.kind),
    content: extra.app?.spec ?? extra.appSet?.spec ?? `${key}@${objectId(object)}`,
    ...(sync === undefined ? {} : { syncOptions: sync }),
    ...(keep === undefined ? {} : { helmResourcePolicy: keep }),
    ignoreExtraneous: annotationOptions(annotations[Annotations.ARGOCD_COMPARE_OPTIONS]).includes('IgnoreExtraneous'),
    ...extra,
  };
}

/** A short id of an object's content, once per object (the two commits share the objects of unchanged files). */
const OBJECT_IDS = new WeakMap<object, string>();
function objectId(object: KubeObject): string {
  let id = OBJECT_IDS.get(object);
  if (id === undefined) {
    // Parsed from files written with sorted keys: JSON in their own order is canonical enough for identity.
    id = createHash('sha256').update(JSON.stringify(object)).digest('hex').slice(0, 12);
    OBJECT_IDS.set(object, id);
  }
  return id;
}

/** What CAPA reads of a node pool object. */
export function poolFacts(object: KubeObject): Partial<Manifest> {
  const annotations = object.metadata.annotations ?? {};
  if (object.kind === 'MachinePool') {
    const spec = object.spec as { replicas?: number; template?: { spec?: { infrastructureRef?: { name?: string } } } };
    const min = annotations[AUTOSCALER_MIN_SIZE];
    const max = annotations[AUTOSCALER_MAX_SIZE];
    const pool: PoolFacts = {
      nodegroup: spec.template?.spec?.infrastructureRef?.name ?? object.metadata.name,
      ...(spec.replicas === undefined ? {} : { replicas: spec.replicas }),
      autoscaled: annotations[REPLICAS_MANAGED_BY] !== undefined && annotations[REPLICAS_MANAGED_BY] !== 'false',
      ...(min === undefined || max === undefined ? {} : { annotatedMin: Number(min), annotatedMax: Number(max) }),
    };
    return { pool };
  }
  if (object.kind === 'AWSManagedMachinePool') {
    const scaling = (object.spec as { scaling?: { minSize?: number; maxSize?: number } }).scaling;
    const pool: PoolFacts = {
      nodegroup: object.metadata.name,
      ...(scaling?.minSize === undefined ? {} : { minSize: scaling.minSize }),
      ...(scaling?.maxSize === undefined ? {} : { maxSize: scaling.maxSize }),
    };
    return { pool };
  }
  return {};
}
