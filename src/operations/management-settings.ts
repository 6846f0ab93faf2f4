import { MINIMUM_KUBERNETES } from './bootstrap';
import type { DistManagementPlane } from './dist-management';
import type { KubeObject } from '../kube/types';
import { CAPA_MANIFEST_GATES, CLUSTER_API_MANIFEST_GATES, type ManifestGate } from '../management/feature-gates';
import { ManagementVersions } from '../management/versions';

interface ProviderSpec {
  readonly version?: string;
  readonly manager?: { readonly featureGates?: Readonly<Record<string, boolean>> };
}

/**
 * The settings a management cluster run by hand must match, read from `dist/management/`: what `arlonctl bootstrap`
 * would install, written as the clusterctl, clusterawsadm and Argo CD steps that give the same result.
 */
export function managementSettings(plane: DistManagementPlane, distDir: string): string {
  const provider = (kind: string) => plane.providers.find((o) => o.kind === kind)?.spec as ProviderSpec | undefined;
  const core = provider('CoreProvider');
  const capa = provider('InfrastructureProvider');
  const variables = new Map<string, string>();
  const addGates = (gates: Readonly<Record<string, boolean>> | undefined, manifest: Readonly<Record<string, ManifestGate>>) => {
    for (const [gate, on] of Object.entries(gates ?? {})) {
      const known = manifest[gate];
      if (known !== undefined) {
        variables.set(known.variable, String(on));
      }
    }
  };
  addGates(core?.manager?.featureGates, CLUSTER_API_MANIFEST_GATES);
  addGates(capa?.manager?.featureGates, CAPA_MANIFEST_GATES);
  const exports = [...variables].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => `${name}=${value}`);
  const params = configData(plane.argoCd, 'argocd-cmd-params-cm');
  const health = Object.keys(configData(plane.argoCd, 'argocd-cm')).filter((key) => key.startsWith('resource.customizations.health.'));
  const controller = plane.argoCd.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'argocd-application-controller');
  const replicas = (controller?.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  const iamFile = plane.awsIamConfiguration === undefined ? undefined : `${distDir}/${plane.awsIamConfiguration}`;
  return [
    `The management plane this fleet needs (from ${distDir}/management/), for a management cluster run by hand:`,
    '',
    `Kubernetes: v${MINIMUM_KUBERNETES.major}.${MINIMUM_KUBERNETES.minor} or later.`,
    '',
    '1. AWS, once, with credentials that may create IAM resources:',
    ...(iamFile === undefined ? ['   (no clusterawsadm configuration in dist/)'] : [
      `   clusterawsadm bootstrap iam create-cloudformation-stack --config ${iamFile}`,
      ...(plane.awsIamConfigurationText ?? '').split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => `     ${line}`),
    ]),
    '',
    `2. Cluster API ${core?.version ?? ManagementVersions.clusterApi} and CAPA ${capa?.version ?? ManagementVersions.capa}, `
      + `with cert-manager ${ManagementVersions.certManager} (clusterctl installs it):`,
    ...exports.map((e) => `   export ${e}`),
    '   export AWS_B64ENCODED_CREDENTIALS=$(clusterawsadm bootstrap credentials encode-as-profile)',
    `   clusterctl init --core cluster-api:${core?.version ?? ManagementVersions.clusterApi} --infrastructure aws:${capa?.version ?? ManagementVersions.capa}`,
    '',
    `3. Argo CD ${ManagementVersions.argoCd}, with:`,
    `   application controller replicas: ${replicas} (StatefulSet argocd-application-controller and ARGOCD_CONTROLLER_REPLICAS)`,
    ...Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => `   argocd-cmd-params-cm ${key}: "${value}"`),
    `   argocd-cm health checks: ${health.join(', ') || 'none'}`,
    `   (the full objects are in ${distDir}/management/argo-cd/)`,
    '',
  ].join('\n');
}

function configData(objects: readonly KubeObject[], name: string): Record<string, string> {
  return (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)?.data ?? {}) as Record<string, string>;
}
