import { KubeApiError, type KubeClient } from '../kube/types';

/** The management cluster is not ready for the command (a component is missing). */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

/** API groups the commands need, and what installs them. */
export const REQUIRED_APIS = {
  argocd: { groupVersion: 'argoproj.io/v1alpha1', what: 'Argo CD (Application, AppProject, ApplicationSet)', fix: 'install Argo CD 3.x' },
  capi: { groupVersion: 'cluster.x-k8s.io/v1beta2', what: 'Cluster API v1beta2 (Cluster, MachinePool)', fix: 'install Cluster API v1.11 or later (clusterctl init)' },
  capa: {
    groupVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    what: 'the AWS provider with EKS (AWSManagedControlPlane)',
    fix: 'install CAPA v2.x with EKS enabled (clusterctl init --infrastructure aws)',
  },
} as const;

/** Fails with a message naming what is missing and how to install it, when an API group is not served. */
export async function requireApis(client: KubeClient, apis: ReadonlyArray<keyof typeof REQUIRED_APIS>): Promise<void> {
  const missing: string[] = [];
  for (const key of apis) {
    const api = REQUIRED_APIS[key];
    if (!await client.servesGroupVersion(api.groupVersion)) {
      missing.push(`${api.what} is not installed: the API server does not serve ${api.groupVersion}; ${api.fix}`);
    }
  }
  if (missing.length > 0) {
    throw new PreflightError(`the management cluster at ${client.server} (context ${client.context}) is missing components:\n  - ${missing.join('\n  - ')}`);
  }
}

/** Fails when `namespace` does not exist. */
export async function requireNamespace(client: KubeClient, namespace: string, why: string): Promise<void> {
  if (await client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }) === undefined) {
    throw new PreflightError(`namespace "${namespace}" does not exist on the management cluster at ${client.server}; ${why}`);
  }
}

/** Whether an error is a 404 of the object itself (as opposed to a missing API). */
export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 404;
}
