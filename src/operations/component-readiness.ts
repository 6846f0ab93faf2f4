import type { KubeObject } from '../kube/types';
import { OPERATOR_TERMINAL_INSTALL_REASONS, OPERATOR_TERMINAL_PREFLIGHT_REASONS } from '../management/argocd-health-checks';

/** Whether an object of the management plane is ready, and what it says when it is not. */
export interface Readiness {
  readonly ready: boolean;
  /** Terminal: waiting longer will not help (a deadline exceeded, a refused preflight). */
  readonly failed?: boolean;
  readonly message: string;
}

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

const conditionsOf = (obj: KubeObject): Condition[] => ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []);
const conditionOf = (obj: KubeObject, type: string): Condition | undefined => conditionsOf(obj).find((c) => c.type === type);
const describe = (c: Condition | undefined): string => (c === undefined ? '' : [c.reason, c.message].filter((p) => p !== undefined && p !== '').join(': '));

/**
 * A CustomResourceDefinition is ready once kube-apiserver serves it: condition `Established` True (what
 * `kubectl wait --for condition=established` waits for). `NamesAccepted` False means its names clash with another CRD.
 */
export function crdReadiness(crd: KubeObject): Readiness {
  const names = conditionOf(crd, 'NamesAccepted');
  if (names?.status === 'False') {
    return { ready: false, failed: true, message: `names not accepted (${describe(names)})` };
  }
  const established = conditionOf(crd, 'Established');
  return established?.status === 'True' ? { ready: true, message: 'established' }
    : { ready: false, message: established === undefined ? 'not established yet' : `not established (${describe(established)})` };
}

/**
 * A Deployment's health as Argo CD v3.5.1 judges it (`getAppsv1DeploymentHealth`,
 * `gitops-engine/pkg/health/health_deployment.go`, itself kubectl's rollout status), with the same messages.
 */
export function deploymentReadiness(deployment: KubeObject): Readiness {
  const spec = (deployment.spec ?? {}) as { paused?: boolean; replicas?: number };
  const status = (deployment.status ?? {}) as {
    observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number;
  };
  const generation = (deployment.metadata.generation as number | undefined) ?? 0;
  const [replicas, updated, available] = [status.replicas ?? 0, status.updatedReplicas ?? 0, status.availableReplicas ?? 0];
  if (spec.paused === true) {
    return { ready: false, message: 'Deployment is paused' };
  }
  if (generation > (status.observedGeneration ?? 0)) {
    return { ready: false, message: 'Waiting for rollout to finish: observed deployment generation less than desired generation' };
  }
  if (conditionOf(deployment, 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return { ready: false, failed: true, message: `Deployment "${deployment.metadata.name}" exceeded its progress deadline` };
  }
  if (spec.replicas !== undefined && updated < spec.replicas) {
    return { ready: false, message: `Waiting for rollout to finish: ${updated} out of ${spec.replicas} new replicas have been updated...` };
  }
  if (replicas > updated) {
    return { ready: false, message: `Waiting for rollout to finish: ${replicas - updated} old replicas are pending termination...` };
  }
  if (available < updated) {
    return { ready: false, message: `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...` };
  }
  return { ready: true, message: 'available' };
}

/** A StatefulSet's health as Argo CD v3.5.1 judges it (`getAppsv1StatefulSetHealth`, `gitops-engine/pkg/health/health_statefulset.go`). */
export function statefulSetReadiness(sts: KubeObject): Readiness {
  const spec = (sts.spec ?? {}) as { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  const status = (sts.status ?? {}) as {
    observedGeneration?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    currentReplicas?: number;
    updateRevision?: string;
    currentRevision?: string;
  };
  const generation = (sts.metadata.generation as number | undefined) ?? 0;
  const observed = status.observedGeneration ?? 0;
  if (observed === 0 || generation > observed) {
    return { ready: false, message: 'Waiting for statefulset spec update to be observed...' };
  }
  const ready = status.readyReplicas ?? 0;
  if (spec.replicas !== undefined && ready < spec.replicas) {
    return { ready: false, message: `Waiting for ${spec.replicas - ready} pods to be ready...` };
  }
  const strategy = spec.updateStrategy?.type ?? 'RollingUpdate';
  const partition = spec.updateStrategy?.rollingUpdate?.partition;
  if (strategy === 'RollingUpdate' && spec.updateStrategy?.rollingUpdate !== undefined) {
    if (spec.replicas !== undefined && partition !== undefined && (status.updatedReplicas ?? 0) < spec.replicas - partition) {
      return { ready: false, message: `Waiting for partitioned roll out to finish: ${status.updatedReplicas ?? 0} out of ${spec.replicas - partition} new pods have been updated...` };
    }
    return { ready: true, message: `partitioned roll out complete: ${status.updatedReplicas ?? 0} new pods have been updated...` };
  }
  if (strategy === 'OnDelete') {
    return { ready: true, message: `statefulset has ${ready} ready pods` };
  }
  if (status.updateRevision !== status.currentRevision) {
    return { ready: false, message: `waiting for statefulset rolling update to complete ${status.updatedReplicas ?? 0} pods at revision ${status.updateRevision}...` };
  }
  return { ready: true, message: `statefulset rolling update complete ${status.currentReplicas ?? 0} pods at revision ${status.currentRevision}...` };
}

/**
 * An Argo CD Application is ready when Argo CD reports it Synced and Healthy (what `argocd app wait --sync --health`
 * waits for). While it is not, the message is the most telling of what Argo CD wrote: a failed sync's message, an
 * error condition, the health message.
 */
export function applicationReadiness(app: KubeObject): Readiness {
  const status = (app.status ?? {}) as {
    sync?: { status?: string };
    health?: { status?: string; message?: string };
    operationState?: { phase?: string; message?: string };
    conditions?: Array<{ type: string; message?: string }>;
  };
  const sync = status.sync?.status ?? 'Unknown';
  const health = status.health?.status ?? 'Unknown';
  if (sync === 'Synced' && health === 'Healthy') {
    return { ready: true, message: 'Synced and Healthy' };
  }
  const error = status.conditions?.find((c) => c.type.endsWith('Error'));
  const failedSync = status.operationState?.phase === 'Failed' || status.operationState?.phase === 'Error' ? status.operationState.message : undefined;
  const detail = failedSync ?? error?.message ?? status.health?.message;
  return { ready: false, message: `${sync}, ${health}${detail === undefined || detail === '' ? '' : ` (${detail})`}` };
}

/**
 * A cluster-api-operator provider is ready once the operator installed the version it asks for and its Deployment
 * is available: `status.installedVersion` equal to `spec.version` and condition `Ready` True (set by the health check
 * controller from the Deployment's `Available`, `internal/controller/healthcheck/healthcheck_controller.go`, v0.28.0).
 * What the operator refuses for good is terminal: the same preflight and install reasons as the providers' Argo CD
 * health check (`OPERATOR_TERMINAL_PREFLIGHT_REASONS`, `OPERATOR_TERMINAL_INSTALL_REASONS`: a downgrade, a bad
 * version, an incompatible contract, ...), which only a change to the spec clears.
 */
export function providerReadiness(provider: KubeObject): Readiness {
  const spec = (provider.spec ?? {}) as { version?: string };
  const installed = (provider.status as { installedVersion?: string } | undefined)?.installedVersion;
  const preflight = conditionOf(provider, 'PreflightCheckPassed');
  if (preflight?.status === 'False' && OPERATOR_TERMINAL_PREFLIGHT_REASONS.includes(preflight.reason ?? '')) {
    return { ready: false, failed: true, message: `preflight failed (${describe(preflight)})` };
  }
  const install = conditionOf(provider, 'ProviderInstalled');
  if (install?.status === 'False' && OPERATOR_TERMINAL_INSTALL_REASONS.includes(install.reason ?? '')) {
    return { ready: false, failed: true, message: `install failed (${describe(install)})` };
  }
  const ready = conditionOf(provider, 'Ready');
  if (ready?.status === 'True' && (spec.version === undefined || installed === spec.version)) {
    return { ready: true, message: `${installed} installed and ready` };
  }
  const blocking = conditionsOf(provider).find((c) => c.status === 'False');
  const waiting = installed === undefined ? 'not installed yet' : installed !== spec.version ? `${installed} installed, ${spec.version} wanted` : 'not ready';
  return { ready: false, message: `${waiting}${blocking === undefined ? '' : ` (${blocking.type}: ${describe(blocking)})`}` };
}
