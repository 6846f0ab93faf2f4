import type { KubeObject } from './crd-schemas';

/*
 * Port of `kubectl rollout status` for Deployments and StatefulSets: kubernetes/kubectl
 * pkg/polymorphichelpers/rollout_status.go (`DeploymentStatusViewer.Status`, `StatefulSetStatusViewer.Status`),
 * commit dee3483a3d6a, and `deploymentutil.Revision` (pkg/util/deployment/deployment.go). Like kubectl, it reads the
 * object as the API server returns it (defaults applied) and does not default missing fields itself.
 */

/** What `kubectl rollout status` would print, whether it would stop waiting, and the error it would fail with. */
export interface RolloutStatus {
  readonly message: string;
  readonly done: boolean;
  readonly error?: string;
}

interface Condition {
  readonly type: string;
  readonly reason?: string;
}

/** The status viewer of a Deployment or StatefulSet (`StatusViewerFor`); `revision` 0 means the latest. */
export function rolloutStatus(obj: KubeObject, revision = 0): RolloutStatus {
  if (obj.apiVersion === 'apps/v1' && obj.kind === 'Deployment') {
    return deploymentStatus(obj, revision);
  }
  if (obj.apiVersion === 'apps/v1' && obj.kind === 'StatefulSet') {
    return statefulSetStatus(obj);
  }
  return { message: '', done: false, error: `no status viewer has been implemented for ${obj.kind}.${obj.apiVersion.split('/')[0]}` };
}

/** `DeploymentStatusViewer.Status`. */
export function deploymentStatus(obj: KubeObject, revision = 0): RolloutStatus {
  const name = obj.metadata.name;
  const spec = (obj.spec ?? {}) as { replicas?: number };
  const status = (obj.status ?? {}) as {
    observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: Condition[];
  };
  if (revision > 0) {
    const annotation = obj.metadata.annotations?.['deployment.kubernetes.io/revision'];
    const running = annotation === undefined ? 0 : Number(annotation);
    if (!Number.isInteger(running)) {
      return { message: '', done: false, error: `cannot get the revision of deployment "${name}": invalid revision "${annotation}"` };
    }
    if (revision !== running) {
      return { message: '', done: false, error: `desired revision (${revision}) is different from the running revision (${running})` };
    }
  }
  const generation = (obj.metadata.generation as number | undefined) ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (generation <= (status.observedGeneration ?? 0)) {
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return { message: '', done: false, error: `deployment "${name}" exceeded its progress deadline` };
    }
    if (spec.replicas !== undefined && updated < spec.replicas) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${spec.replicas} new replicas have been updated...\n`, done: false };
    }
    if (replicas > updated) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...\n`, done: false };
    }
    if (available < updated) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...\n`, done: false };
    }
    return { message: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
}

/** `StatefulSetStatusViewer.Status`. */
export function statefulSetStatus(obj: KubeObject): RolloutStatus {
  const spec = (obj.spec ?? {}) as { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  const status = (obj.status ?? {}) as {
    observedGeneration?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    currentReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
  if (spec.updateStrategy?.type !== 'RollingUpdate') {
    return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  const generation = (obj.metadata.generation as number | undefined) ?? 0;
  const observed = status.observedGeneration ?? 0;
  if (observed === 0 || generation > observed) {
    return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  }
  const ready = status.readyReplicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  if (spec.replicas !== undefined && ready < spec.replicas) {
    return { message: `Waiting for ${spec.replicas - ready} pods to be ready...\n`, done: false };
  }
  const rollingUpdate = spec.updateStrategy.rollingUpdate;
  if (rollingUpdate !== undefined) {
    if (spec.replicas !== undefined && rollingUpdate.partition !== undefined && updated < spec.replicas - rollingUpdate.partition) {
      return {
        message: `Waiting for partitioned roll out to finish: ${updated} out of ${spec.replicas - rollingUpdate.partition} new pods have been updated...\n`,
        done: false,
      };
    }
    return { message: `partitioned roll out complete: ${updated} new pods have been updated...\n`, done: true };
  }
  if (status.updateRevision !== status.currentRevision) {
    return { message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${status.updateRevision ?? ''}...\n`, done: false };
  }
  return { message: `statefulset rolling update complete ${status.currentReplicas ?? 0} pods at revision ${status.currentRevision ?? ''}...\n`, done: true };
}
