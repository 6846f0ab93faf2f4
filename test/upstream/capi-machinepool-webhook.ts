/**
 * Cluster API's MachinePool admission webhook: a port of kubernetes-sigs/cluster-api v1.14.0,
 * `core/webhooks/admission/machinepool.go` (`Default`, `calculateMachinePoolReplicas`, `validate`), with the annotation
 * names of `api/core/v1beta2/common_types.go` and `defaultNodeDeletionTimeoutSeconds` of
 * `core/webhooks/admission/machine.go`. Feature gate defaults from `feature/feature.go` and the shipped manager
 * arguments (`core/config/manager/manager.yaml`: `MachinePool=${EXP_MACHINE_POOL:=true}`).
 */
import { forbidden, invalid, required, type FieldError } from './field-errors';
import { parseSemver } from './go-version';
import { validateAnnotations, validateLabels } from './k8s-validation';

export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
export const REPLICAS_MANAGED_BY_ANNOTATION = 'cluster.x-k8s.io/replicas-managed-by';
export const AUTOSCALER_MIN_SIZE_ANNOTATION = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
export const AUTOSCALER_MAX_SIZE_ANNOTATION = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';
export const DEFAULT_NODE_DELETION_TIMEOUT_SECONDS = 10;

/** Cluster API feature gates that the MachinePool webhook reads. */
export interface CapiFeatureGates {
  readonly MachinePool: boolean;
  readonly MachineTaintPropagation: boolean;
}

/** As a management cluster installed with `clusterctl init` runs them (v1.14.0). */
export const CAPI_DEFAULT_GATES: CapiFeatureGates = { MachinePool: true, MachineTaintPropagation: false };

/** A MachinePool as JSON, with the fields the webhook reads. */
export interface MachinePool {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    clusterName?: string;
    replicas?: number;
    template?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: {
        clusterName?: string;
        bootstrap?: { configRef?: { apiGroup?: string; kind?: string; name?: string }; dataSecretName?: string };
        version?: string;
        taints?: unknown[];
        deletion?: { nodeDeletionTimeoutSeconds?: number };
        [field: string]: unknown;
      };
    };
    [field: string]: unknown;
  };
}

/** The admission request a webhook sees. */
export interface AdmissionRequest<T> {
  readonly operation: 'CREATE' | 'UPDATE';
  readonly dryRun?: boolean;
  /** The stored object, on UPDATE. */
  readonly oldObject?: T;
}

/** `strconv.ParseInt(s, 10, 32)`: an optional sign and decimal digits, within int32. */
export function parseInt32(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) {
    throw new Error(`strconv.ParseInt: parsing "${s}": invalid syntax`);
  }
  const n = Number(s);
  if (n < -(2 ** 31) || n > 2 ** 31 - 1) {
    throw new Error(`strconv.ParseInt: parsing "${s}": value out of range`);
  }
  return n;
}

/** `Default`: the cluster-name label, replicas, node deletion timeout and a "v" before the version. Mutates `mp`. */
export function defaultMachinePool(mp: MachinePool, request: AdmissionRequest<MachinePool>): void {
  const oldMP = request.operation === 'UPDATE' ? request.oldObject : undefined;
  mp.metadata.labels = { ...mp.metadata.labels, [CLUSTER_NAME_LABEL]: mp.spec.clusterName ?? '' };
  mp.spec.replicas = calculateMachinePoolReplicas(oldMP, mp, request.dryRun ?? false);
  const template = (mp.spec.template ??= {});
  const spec = (template.spec ??= {});
  const deletion = (spec.deletion ??= {});
  deletion.nodeDeletionTimeoutSeconds ??= DEFAULT_NODE_DELETION_TIMEOUT_SECONDS;
  if (spec.version !== undefined && spec.version !== '' && !spec.version.startsWith('v')) {
    spec.version = `v${spec.version}`;
  }
}

/**
 * `calculateMachinePoolReplicas`: keeps a set value; otherwise, with **both** autoscaler annotations, the min size
 * for a new pool (or the old value clamped into min..max for an existing one); otherwise 1.
 */
export function calculateMachinePoolReplicas(oldMP: MachinePool | undefined, newMP: MachinePool, _dryRun: boolean): number {
  if (newMP.spec.replicas !== undefined && newMP.spec.replicas !== null) {
    return newMP.spec.replicas;
  }
  const annotations = newMP.metadata.annotations ?? {};
  if (AUTOSCALER_MIN_SIZE_ANNOTATION in annotations && AUTOSCALER_MAX_SIZE_ANNOTATION in annotations) {
    const parse = (annotation: string) => {
      try {
        return parseInt32(annotations[annotation]);
      } catch (e) {
        throw new Error(`failed to caculate MachinePool replicas value: could not parse the value of the "${annotation}" annotation: ${(e as Error).message}`);
      }
    };
    const minSize = parse(AUTOSCALER_MIN_SIZE_ANNOTATION);
    const maxSize = parse(AUTOSCALER_MAX_SIZE_ANNOTATION);
    if (oldMP === undefined) {
      return minSize;
    }
    const old = oldMP.spec.replicas;
    if (old === undefined || old === null) {
      return minSize;
    }
    if (old < minSize) {
      return minSize;
    }
    if (old > maxSize) {
      return maxSize;
    }
    return old;
  }
  return 1;
}

/** `validate`, as run on create (`oldMP` undefined), update and delete. */
export function validateMachinePool(oldMP: MachinePool | undefined, newMP: MachinePool, gates: CapiFeatureGates = CAPI_DEFAULT_GATES): FieldError[] {
  if (!gates.MachinePool) {
    return [forbidden('spec', 'can be set only if the MachinePool feature flag is enabled')];
  }
  const errs: FieldError[] = [];
  const templateSpec = newMP.spec.template?.spec ?? {};
  // `ContractVersionedObjectReference.IsDefined`: any of its fields set.
  const ref = templateSpec.bootstrap?.configRef as { apiGroup?: string; kind?: string; name?: string } | undefined;
  const configRefDefined = [ref?.apiGroup, ref?.kind, ref?.name].some((v) => (v ?? '') !== '');
  if (!configRefDefined && templateSpec.bootstrap?.dataSecretName === undefined) {
    errs.push(required('spec.template.spec.bootstrap',
      'expected either spec.template.spec.bootstrap.dataSecretName or spec.template.spec.bootstrap.configRef to be populated'));
  }
  if (oldMP !== undefined && oldMP.spec.clusterName !== newMP.spec.clusterName) {
    errs.push(forbidden('spec.clusterName', 'field is immutable'));
  }
  if ((newMP.spec.clusterName ?? '') !== (templateSpec.clusterName ?? '')) {
    errs.push(invalid('spec.clusterName', newMP.spec.clusterName, 'spec.clusterName and spec.template.spec.clusterName must be set to the same value'));
  }
  const version = templateSpec.version ?? '';
  if (version !== '') {
    if (!version.startsWith('v')) {
      errs.push(invalid('spec.template.spec.version', version, 'must start with v'));
    }
    try {
      parseSemver(version.replace(/^v/, ''));
    } catch {
      errs.push(invalid('spec.template.spec.version', version, 'must be a valid semantic version'));
    }
  }
  if ((templateSpec.taints ?? []).length > 0) {
    errs.push(forbidden('spec.taints', 'taints feature for MachinePools is not yet implemented'));
    if (!gates.MachineTaintPropagation) {
      errs.push(forbidden('spec.taints', 'taints are not allowed to be set when the feature gate MachineTaintPropagation is disabled'));
    }
  }
  errs.push(...validateLabels(newMP.spec.template?.metadata?.labels, 'spec.template.metadata.labels'));
  errs.push(...validateAnnotations(newMP.spec.template?.metadata?.annotations, 'spec.template.metadata.annotations'));
  return errs;
}
