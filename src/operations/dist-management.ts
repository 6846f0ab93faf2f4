import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { DistError, readFiles } from './dist-fleet';
import { SYNC_WAVE } from '../argocd/sync';
import type { KubeObject } from '../kube/types';
import { GENERATED_HEADER } from '../output/generated-header';
import { DistLayout } from '../output/layout';

/** The management plane, read back from `dist/management/`. */
export interface DistManagementPlane {
  /** Argo CD's objects: its Namespace, CRDs, and everything else of its install. */
  readonly argoCd: readonly KubeObject[];
  /** The AppProject of the management plane's Applications. */
  readonly project: KubeObject;
  /** The management plane's Applications, in the order of their sync waves. */
  readonly applications: readonly KubeObject[];
  /** The Namespaces and providers cluster-api-operator installs from. */
  readonly providers: readonly KubeObject[];
  /** Where CAPA's variables Secret goes (the InfrastructureProvider's `configSecret`). */
  readonly capaVariablesSecret?: { readonly name: string; readonly namespace: string };
  /** The clusterawsadm configuration's path inside dist/, when there is one. */
  readonly awsIamConfiguration?: string;
  /** Its content, as synthesized. */
  readonly awsIamConfigurationText?: string;
}

/** Whether `dir` holds a management plane (the fleet has `managementPlane`). */
export function hasManagementPlane(dir: string): boolean {
  return fs.existsSync(path.join(dir, DistLayout.managementApplicationsDir));
}

/** Reads `dist/management/`; fails with the fix when the fleet has no management plane. */
export function readManagementPlane(dir: string): DistManagementPlane {
  if (!hasManagementPlane(dir)) {
    throw new DistError(`${dir} holds no management plane (no ${DistLayout.managementApplicationsDir}/); give the Fleet \`managementPlane: {}\` `
      + 'and synthesize again, or run the management cluster by hand with the settings `arlonctl bootstrap --print-settings` prints');
  }
  const files = readFiles(dir, { folder: DistLayout.isManagementFolder });
  const inFolder = (folder: string): KubeObject[] => [...files]
    .filter(([file, text]) => path.posix.dirname(file) === folder && file.endsWith('.yaml') && text.startsWith(GENERATED_HEADER))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, text]) => YAML.parse(text) as KubeObject);
  const applicationsFolder = inFolder(DistLayout.managementApplicationsDir);
  const project = applicationsFolder.find((o) => o.kind === 'AppProject');
  if (project === undefined) {
    throw new DistError(`${dir} holds no AppProject in ${DistLayout.managementApplicationsDir}/; synthesize the fleet again`);
  }
  const wave = (o: KubeObject) => Number(o.metadata.annotations?.[SYNC_WAVE] ?? 0);
  const applications = applicationsFolder.filter((o) => o.kind === 'Application').sort((a, b) => wave(a) - wave(b));
  const providers = inFolder(DistLayout.managementProvidersDir);
  const infrastructure = providers.find((o) => o.kind === 'InfrastructureProvider') as { spec?: { configSecret?: { name: string; namespace?: string } } } | undefined;
  const secret = infrastructure?.spec?.configSecret;
  const iamText = files.get(DistLayout.awsIamConfigurationFile);
  return {
    argoCd: inFolder(DistLayout.managementArgoCdDir),
    project,
    applications,
    providers,
    capaVariablesSecret: secret && { name: secret.name, namespace: secret.namespace ?? (infrastructure as unknown as KubeObject).metadata.namespace ?? '' },
    awsIamConfiguration: iamText === undefined ? undefined : DistLayout.awsIamConfigurationFile,
    awsIamConfigurationText: iamText,
  };
}
