import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildExampleFleet } from '../example/fleet';
import { Cluster, EksClusterSpec, Fleet, Profile } from '../src';
import { CrdSchemas, CRD_ROOT, type KubeObject } from './support/crd-schemas';
import { minimalSpecProps } from './support/fixtures';
import { parseFiles } from './support/fleet-files';
import { ArgoInstance, bundleApplications, registered } from './upstream/argocd-instance';
import {
  CAPA_V2_11_1_MANAGER_ARGS, CAPA_V2_11_1_METADATA, CAPI_V1_14_0_MANAGER_ARGS, CAPI_V1_14_0_METADATA, effectiveFeatureGates, validateRepoCAPIVersion,
} from './upstream/capi-operator';
import { controllersPolicyActions, defaultedConfig, templateResources } from './upstream/clusterawsadm';
import { upstreamArgoCdInstall } from '../src/management/argo-cd-install';
import { ARGOCD_HEALTH_CHECKS } from '../src/management/argocd-health-checks';
import { argoCdSizing } from '../src/management/argocd-sizing';
import { CAPA_MANIFEST_GATES, CLUSTER_API_MANIFEST_GATES } from '../src/management/feature-gates';
import { ManagementVersions } from '../src/management/versions';
import { isDestinationPermitted, isGroupKindPermitted, isSourcePermitted, type AppProjectSpec } from '../src/operations/transitions/argocd-project';

const schemas = new CrdSchemas();
const REPO = 'https://github.com/acme/platform-fleet.git';

/** The example fleet's files, rendered once for the file (a render takes a second); tests only read them. */
let exampleRender: ReadonlyMap<string, string> | undefined;
const exampleFiles = (): ReadonlyMap<string, string> => (exampleRender ??= buildExampleFleet({ outdir: '/nonexistent-dist' }).renderFiles());
let exampleParsed: Map<string, KubeObject> | undefined;

/** The objects of the example fleet, or of the example built with other props. */
function exampleObjects(props?: Parameters<typeof buildExampleFleet>[0]): Map<string, KubeObject> {
  return props === undefined ? (exampleParsed ??= parseFiles(exampleFiles()))
    : parseFiles(buildExampleFleet({ outdir: '/nonexistent-dist', ...props }).renderFiles());
}

function inFolder(objects: ReadonlyMap<string, KubeObject>, folder: string): KubeObject[] {
  return [...objects].filter(([file]) => path.posix.dirname(file) === folder).map(([, obj]) => obj);
}

/** A one-cluster fleet with a node pool, with the management plane settings given. */
function smallFleet(managementPlane: ConstructorParameters<typeof Fleet>[0]['managementPlane'], eksEnableIam = false): Fleet {
  const fleet = new Fleet({ repoUrl: REPO, name: 'small', managementPlane, management: { capaFeatureGates: { eksEnableIam } }, outdir: '/nonexistent-dist' });
  const profile = new Profile(fleet, 'p', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) });
  new Cluster(fleet, 'c1', { profiles: [profile] });
  return fleet;
}

describe('the management plane of the example fleet', () => {
  const objects = exampleObjects();

  test('every object is valid against the CRDs and kinds of the release it targets', () => {
    const managed = [...objects].filter(([file]) => file.startsWith('management/'));
    expect(managed.length).toBeGreaterThan(60);
    for (const [file, obj] of managed) {
      if (schemas.knows(obj.apiVersion, obj.kind)) {
        expect([file, schemas.validate(obj)]).toEqual([file, []]);
      }
    }
  });

  test('the providers are the pinned releases, with the gates the fleet relies on, as cluster-api-operator objects', () => {
    const [core] = inFolder(objects, 'management/providers').filter((o) => o.kind === 'CoreProvider');
    const [capa] = inFolder(objects, 'management/providers').filter((o) => o.kind === 'InfrastructureProvider');
    expect(core.metadata).toMatchObject({ name: 'cluster-api', namespace: 'capi-system' });
    expect(core.spec).toEqual({ version: 'v1.14.0', manager: { featureGates: { MachinePool: true } } });
    expect(capa.metadata).toMatchObject({ name: 'aws', namespace: 'capa-system' });
    // The example states eksEnableIam and has node pools: the shipped CAPA manifest has MachinePool and EKSEnableIAM off.
    expect(capa.spec).toEqual({
      version: 'v2.11.1',
      configSecret: { name: 'capa-variables', namespace: 'capa-system' },
      manager: { featureGates: { EKS: true, EKSEnableIAM: true, MachinePool: true } },
    });
  });

  test('clusterawsadm\'s configuration grants what EKSEnableIAM and managed node pools need', () => {
    const text = exampleFiles().get('management/aws/iam-configuration.yaml')!;
    expect(YAML.parse(text)).toEqual({
      apiVersion: 'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'AWSIAMConfiguration',
      spec: { eks: { disable: false, iamRoleCreation: true, defaultControlPlaneRole: { disable: false }, managedMachinePool: { disable: false } } },
    });
  });

  test('Argo CD is upstream\'s install, in the fleet\'s namespace, with the health checks and the sizing of the fleet', () => {
    const argo = inFolder(objects, 'management/argo-cd');
    // Upstream's objects, plus the namespace they go in.
    expect(argo.length).toBe(upstreamArgoCdInstall().length + 1);
    const cm = argo.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm')!;
    const upstreamCm = upstreamArgoCdInstall().find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm')!;
    expect(cm.data).toEqual({ ...(upstreamCm.data as object), ...ARGOCD_HEALTH_CHECKS });
    expect(Object.keys(ARGOCD_HEALTH_CHECKS)).toEqual(expect.arrayContaining([
      'resource.customizations.health.infrastructure.cluster.x-k8s.io_AWSManagedMachinePool',
    ]));
    // The example: 5 clusters with cluster Applications, and the bundle Applications its ApplicationSets generate.
    const clusters = [...objects.values()].filter((o) => o.kind === 'Cluster').map((o) => o.metadata.name);
    const externals = Object.keys([...objects.values()].find((o) => o.metadata.name === 'acme-external-clusters')!.data as object);
    const instance = new ArgoInstance(exampleFiles(), 'fleet/Application.acme.yaml',
      { repoUrl: REPO, distPath: 'dist', clusters: registered('acme', [...clusters, ...externals]) });
    const bundleApps = bundleApplications(instance).size;
    expect(clusters.length).toBe(5);
    const applicationSets = [...objects.values()].filter((o) => o.kind === 'ApplicationSet').length;
    const sizing = argoCdSizing({ clusters: 5, applications: 5 + bundleApps, applicationSets });
    const sts = argo.find((o) => o.kind === 'StatefulSet')!;
    type Containers = Array<{ env: Array<{ name: string; value?: string }> }>;
    const container = (sts.spec as { template: { spec: { containers: Containers } } }).template.spec.containers[0];
    expect((sts.spec as { replicas: number }).replicas).toBe(sizing.controllerReplicas);
    expect(container.env.find((e) => e.name === 'ARGOCD_CONTROLLER_REPLICAS')?.value).toBe(String(sizing.controllerReplicas));
    const params = argo.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cmd-params-cm')!;
    expect(params.data).toEqual(sizing.params);
    for (const obj of argo) {
      const clusterScoped = ['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Namespace'].includes(obj.kind);
      expect([obj.kind, obj.metadata.name, obj.metadata.namespace]).toEqual([obj.kind, obj.metadata.name, clusterScoped ? undefined : 'argocd']);
    }
  });

  test('the management Applications are admitted by their project, sources, destinations and kinds', () => {
    const apps = inFolder(objects, 'management/applications');
    const project = apps.find((o) => o.kind === 'AppProject')!.spec as AppProjectSpec;
    const wave = (a: KubeObject) => Number(a.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    const applications = apps.filter((o) => o.kind === 'Application').sort((a, b) => wave(a) - wave(b));
    expect(applications.map((a) => a.metadata.name)).toEqual([
      'acme-management-cert-manager', 'acme-management-cluster-api-operator', 'acme-management-providers', 'acme-management-argo-cd',
    ]);
    for (const app of applications) {
      const spec = app.spec as { project: string; source: { repoURL: string; path?: string }; destination: { name: string; namespace: string } };
      expect(spec.project).toBe('acme-management');
      expect(isSourcePermitted(project, spec.source.repoURL)).toBe(true);
      expect(isDestinationPermitted(project, { name: spec.destination.name, server: '' }, spec.destination.namespace)).toBe(true);
      // Deleting an Application never deletes what it installed, and nothing is pruned.
      expect(app.metadata.finalizers).toBeUndefined();
      expect((app.spec as { syncPolicy: { automated: { prune: boolean } } }).syncPolicy.automated.prune).toBe(false);
      const folder = spec.source.path?.replace(/^dist\//, '');
      for (const obj of folder === undefined ? [] : inFolder(objects, folder)) {
        const namespaced = obj.metadata.namespace !== undefined;
        const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
        const permitted = isGroupKindPermitted(project, group, obj.kind, namespaced);
        expect([app.metadata.name, obj.kind, permitted]).toEqual([app.metadata.name, obj.kind, true]);
        if (namespaced) {
          expect(isDestinationPermitted(project, { name: 'in-cluster', server: '' }, obj.metadata.namespace!)).toBe(true);
        }
      }
    }
  });

  test('the fleet\'s bootstrap keeps the management Applications in sync with git once bootstrap has applied them', () => {
    const root = inFolder(objects, 'fleet').find((o) => o.metadata.name === 'acme-management')!;
    expect(root.spec).toMatchObject({
      project: 'acme',
      source: { repoURL: REPO, path: 'dist/management/applications', targetRevision: 'main' },
      syncPolicy: { automated: { prune: false, selfHeal: true } },
    });
  });

  test('a fleet whose management cluster is run by other means describes the plane but nothing applies it', () => {
    const unmanaged = exampleObjects({ managementPlane: { managed: false } });
    expect(inFolder(unmanaged, 'fleet').map((o) => o.metadata.name).sort()).toEqual(['acme', 'acme']);
    expect(inFolder(unmanaged, 'management/providers').length).toBe(4);
    expect(exampleObjects({ managementPlane: undefined }).has('management/providers/CoreProvider.cluster-api.yaml')).toBe(false);
  });

  test('a custom Argo CD namespace reaches every namespaced object and every ClusterRoleBinding subject', () => {
    const custom = exampleObjects({ argocdNamespace: 'gitops' });
    const bindings = inFolder(custom, 'management/argo-cd').filter((o) => o.kind === 'ClusterRoleBinding');
    expect(bindings.length).toBe(3);
    for (const subject of bindings.flatMap((b) => b.subjects as Array<{ namespace?: string }>)) {
      expect(subject.namespace).toBe('gitops');
    }
    expect(inFolder(custom, 'management/argo-cd').find((o) => o.kind === 'Namespace')?.metadata.name).toBe('gitops');
  });
});

describe('what the upstream components make of the management plane', () => {
  const objects = exampleObjects();
  const provider = (kind: string) => [...objects.values()].find((o) => o.kind === kind)!;
  const manager = (kind: string) => (provider(kind).spec as { manager: { featureGates: Record<string, boolean> } }).manager;
  const credentials = { AWS_B64ENCODED_CREDENTIALS: 'W2RlZmF1bHRd' };

  test('CAPA runs with EKS, MachinePool and EKSEnableIAM on: cluster-api-operator\'s merge over the shipped manifest', () => {
    // Without the operator's featureGates, the shipped manifest's defaults: the example's node pools would never be reconciled.
    expect(effectiveFeatureGates(CAPA_V2_11_1_MANAGER_ARGS, credentials)).toMatchObject({ MachinePool: false, EKSEnableIAM: false });
    expect(effectiveFeatureGates(CAPA_V2_11_1_MANAGER_ARGS, credentials, manager('InfrastructureProvider')))
      .toMatchObject({ EKS: true, MachinePool: true, EKSEnableIAM: true, EKSAllowAddRoles: false, ROSA: false });
    expect(effectiveFeatureGates(CAPI_V1_14_0_MANAGER_ARGS, {}, manager('CoreProvider'))).toMatchObject({ MachinePool: true });
  });

  test('the library\'s table of gates, variables and defaults is the shipped manifests\' argument', () => {
    const table = (args: readonly string[]) => Object.fromEntries(args.find((a) => a.startsWith('--feature-gates='))!.slice('--feature-gates='.length)
      .split(',').map((entry) => /^(\w+)=\$\{(\w+):=(true|false)\}$/.exec(entry)!).map(([, gate, variable, value]) => [gate, { variable, default: value === 'true' }]));
    expect(table(CAPA_V2_11_1_MANAGER_ARGS)).toEqual(CAPA_MANIFEST_GATES);
    expect(table(CAPI_V1_14_0_MANAGER_ARGS)).toEqual(CLUSTER_API_MANIFEST_GATES);
  });

  test('cluster-api-operator accepts the pinned releases and installs them, CAPA once its variables Secret exists', () => {
    expect(validateRepoCAPIVersion('cluster-api', ManagementVersions.clusterApi, CAPI_V1_14_0_METADATA)).toBe('v1beta2');
    expect(validateRepoCAPIVersion('aws', ManagementVersions.capa, CAPA_V2_11_1_METADATA)).toBe('v1beta1');
  });

  test('clusterawsadm grants the controllers what CAPA does with EKSEnableIAM, and creates the node group role', () => {
    const text = exampleFiles().get('management/aws/iam-configuration.yaml')!;
    const config = defaultedConfig(text);
    const actions = controllersPolicyActions(config);
    for (const action of ['iam:CreateRole', 'iam:CreateOpenIDConnectProvider', 'eks:CreateNodegroup']) {
      expect([action, actions.has(action)]).toEqual([action, true]);
    }
    expect(templateResources(config)).toContain('AWSIAMRoleEKSNodegroup');
    // clusterawsadm's defaults, which the README's manual route used to leave: no role creation, no node group role.
    const defaults = defaultedConfig({ apiVersion: 'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1', kind: 'AWSIAMConfiguration', spec: {} });
    expect(controllersPolicyActions(defaults).has('iam:CreateRole')).toBe(false);
    expect(templateResources(defaults)).not.toContain('AWSIAMRoleEKSNodegroup');
  });
});

describe('gates the fleet relies on', () => {
  test('turning off a gate the node pools need fails at synth, naming the gate, who needs it and the fix', () => {
    expect(() => smallFleet({ capaFeatureGates: { MachinePool: false } }).renderFiles())
      .toThrow(/CAPA feature gate MachinePool is off in `managementPlane.capaFeatureGates`, but the fleet's node pools \(MachinePool, AWSManagedMachinePool\) need it; remove `MachinePool: false`/);
    expect(() => smallFleet({ clusterApiFeatureGates: { MachinePool: false } }).renderFiles())
      .toThrow(/Cluster API feature gate MachinePool is off/);
  });

  test('EKSEnableIAM follows `management.capaFeatureGates.eksEnableIam`, and cannot be turned off under it', () => {
    expect(() => smallFleet({ capaFeatureGates: { EKSEnableIAM: false } }, true).renderFiles()).toThrow(/CAPA feature gate EKSEnableIAM is off/);
    const files = parseFiles(smallFleet({}, false).renderFiles());
    const capa = [...files.values()].find((o) => o.kind === 'InfrastructureProvider')!;
    expect((capa.spec as { manager: { featureGates: object } }).manager.featureGates).toEqual({ EKS: true, MachinePool: true });
    const iam = YAML.parse(smallFleet({}, false).renderFiles().get('management/aws/iam-configuration.yaml')!) as { spec: { eks: object } };
    expect(iam.spec.eks).toMatchObject({ iamRoleCreation: false, managedMachinePool: { disable: false } });
  });

  test('a gate name a manager does not have, and a combination CAPA refuses to start with, fail at synth', () => {
    expect(() => smallFleet({ capaFeatureGates: { MachinePools: true } }).renderFiles())
      .toThrow(/`managementPlane.capaFeatureGates` names gate "MachinePools", which the manager does not have/);
    expect(() => smallFleet({ capaFeatureGates: { EKSAllowAddRoles: true } }).renderFiles())
      .toThrow(/EKSAllowAddRoles is on without EKSEnableIAM, and CAPA v2.11.1 exits at start/);
    expect(() => smallFleet({ argoCd: { controllerReplicas: 0 } }).renderFiles()).toThrow(/controllerReplicas/);
  });

  test('a misspelt prop is refused with a suggestion', () => {
    expect(() => smallFleet({ capaFeatureGate: {} } as never)).toThrow(/`managementPlane.capaFeatureGate` is not a prop it takes; did you mean `capaFeatureGates`\?/);
  });
});

describe('pinned versions', () => {
  test('the vendored Argo CD install is upstream\'s file, byte for byte, and its JSON holds exactly its documents', () => {
    const dir = path.join(__dirname, '..', 'vendor', 'argo-cd', ManagementVersions.argoCd);
    const yaml = fs.readFileSync(path.join(dir, 'install.yaml'));
    const sources = fs.readFileSync(path.join(__dirname, '..', 'vendor', 'SOURCES.md'), 'utf8');
    expect(sources).toContain(createHash('sha256').update(yaml).digest('hex'));
    const documents = YAML.parseAllDocuments(yaml.toString('utf8')).map((d) => d.toJS()).filter((d) => d !== null);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'install.json'), 'utf8'))).toEqual(documents);
  });

  test('the versions are the releases the CRDs of the bindings come from (crds/SOURCES.md)', () => {
    const sources = fs.readFileSync(path.join(CRD_ROOT, 'SOURCES.md'), 'utf8');
    expect(sources).toMatch(new RegExp(`kubernetes-sigs/cluster-api@${ManagementVersions.clusterApi.replace(/\./g, '\\.')}`));
    expect(sources).toMatch(new RegExp(`cluster-api-provider-aws@${ManagementVersions.capa.replace(/\./g, '\\.')}`));
    expect(sources).toMatch(new RegExp(`argoproj/argo-cd@${ManagementVersions.argoCd.replace(/\./g, '\\.')}`));
    expect(sources).toMatch(new RegExp(`cluster-api-operator \\| v${ManagementVersions.clusterApiOperator.replace(/\./g, '\\.')}`));
  });

  test('the gates and variables are the ones of the upstream manager manifests', () => {
    expect(Object.keys(CLUSTER_API_MANIFEST_GATES)).toContain('MachinePool');
    expect(CAPA_MANIFEST_GATES.MachinePool).toEqual({ variable: 'EXP_MACHINE_POOL', default: false });
  });
});
