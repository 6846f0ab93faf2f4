import { ApiObject, JsonPatch } from 'cdk8s';
import {
  AmiType, AwsIdentity, CapacityType, Cluster, ControlPlaneLog, EksAddon, EksClusterSpec, KubernetesVersion, Profile, TaintEffect,
} from '../src';
import { application, argoCd } from './support/argo';
import { minimalSpecProps, singleCluster, TEST_ACCESS, testFleet } from './support/fixtures';
import { findObject, parseFiles } from './support/fleet-files';
import { readDistFiles } from '../src/operations/dist-fleet';
import { isDestinationPermitted } from '../src/operations/transitions/argocd-project';

function objectsOf(fleet: { renderFiles(): Map<string, string> }) {
  return parseFiles(fleet.renderFiles());
}

describe('Cluster', () => {
  test('creates the EKS objects CAPA needs, cross-referenced by name', () => {
    // GIVEN
    const { fleet } = singleCluster();
    // WHEN
    const objects = objectsOf(fleet);
    // THEN
    const cluster = findObject(objects, 'Cluster', 'test--alpha');
    const infra = findObject(objects, 'AWSManagedCluster', 'test--alpha');
    const controlPlane = findObject(objects, 'AWSManagedControlPlane', 'test--alpha-control-plane');
    const machinePool = findObject(objects, 'MachinePool', 'test--alpha-general');
    const managedPool = findObject(objects, 'AWSManagedMachinePool', 'test--alpha-general');
    expect(cluster.apiVersion).toBe('cluster.x-k8s.io/v1beta2');
    expect(cluster.spec).toEqual({
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'AWSManagedCluster', name: infra.metadata.name },
      controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'AWSManagedControlPlane', name: controlPlane.metadata.name },
    });
    expect(machinePool.spec).toMatchObject({
      clusterName: 'test--alpha',
      replicas: 1,
      template: {
        spec: {
          clusterName: 'test--alpha',
          bootstrap: { dataSecretName: '' },
          infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'AWSManagedMachinePool', name: managedPool.metadata.name },
          version: 'v1.34.0',
        },
      },
    });
    expect(controlPlane.spec).toEqual({ eksClusterName: 'test--alpha', region: 'us-east-1', version: 'v1.34', ...TEST_ACCESS });
    expect(managedPool.spec).toEqual({
      eksNodegroupName: 'test--alpha-general',
      instanceType: 'm6i.large',
      scaling: { minSize: 1, maxSize: 1 },
      capacityType: 'onDemand',
      amiType: 'AL2023_x86_64_STANDARD',
    });
    for (const obj of [cluster, infra, controlPlane, machinePool, managedPool]) {
      expect(obj.metadata.namespace).toBe('test--alpha');
    }
  });

  test('puts its objects in its own folders', () => {
    const { fleet } = singleCluster();
    expect([...fleet.renderFiles().keys()].filter((f) => f.includes('alpha')).sort()).toEqual([
      'clusters/alpha/AWSManagedCluster.test--alpha.yaml',
      'clusters/alpha/AWSManagedControlPlane.test--alpha-control-plane.yaml',
      'clusters/alpha/AWSManagedMachinePool.test--alpha-general.yaml',
      'clusters/alpha/Cluster.test--alpha.yaml',
      'clusters/alpha/MachinePool.test--alpha-general.yaml',
      'clusters/alpha/Namespace.test--alpha.yaml',
    ]);
  });

  test('protects every Cluster API object and its namespace from deletion by Argo CD', () => {
    const { fleet } = singleCluster();
    const managementObjects = [...objectsOf(fleet)].filter(([file]) => file.startsWith('clusters/')).map(([, o]) => o);
    expect(managementObjects).toHaveLength(6);
    for (const obj of managementObjects) {
      expect(obj.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    }
  });

  test('labels its objects with the fleet, cluster, profiles and the user labels', () => {
    const { fleet } = singleCluster({}, { labels: { env: 'dev', team: 'payments' } });
    const objects = objectsOf(fleet);
    expect(findObject(objects, 'Cluster', 'test--alpha').metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'cdk8s-arlon',
      'arlon.io/fleet': 'test',
      'arlon.io/cluster': 'alpha',
      'cluster.x-k8s.io/cluster-name': 'test--alpha',
      'profile.arlon.io/base': 'true',
      'env': 'dev',
      'team': 'payments',
    });
    expect(findObject(objects, 'Cluster', 'test--alpha').metadata.annotations?.['arlon.io/profiles']).toBe('base');
    expect(application(argoCd(fleet), 'test--alpha').object.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'cdk8s-arlon', 'arlon.io/fleet': 'test', 'arlon.io/cluster': 'alpha',
    });
  });

  test('makes Argo CD sync the cluster folder without pruning, with the resources finalizer that the objects\' Delete=false disarms', () => {
    const { fleet } = singleCluster();
    const argo = argoCd(fleet);
    const app = application(argo, 'test--alpha');
    expect(argo.problems()).toEqual([]);
    expect(app.object.metadata.namespace).toBe('argocd');
    expect(app.object.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(app.object.metadata.annotations).toEqual({
      'argocd.argoproj.io/compare-options': 'ServerSideDiff=true', 'argocd.argoproj.io/manifest-generate-paths': '/dist/clusters/alpha',
    });
    expect(app.object.spec).toEqual({
      project: 'test-clusters',
      source: { repoURL: 'https://git.example.com/platform/fleet.git', targetRevision: 'main', path: 'dist/clusters/alpha' },
      destination: { name: 'in-cluster', namespace: 'test--alpha' },
      syncPolicy: {
        automated: { prune: false, selfHeal: true },
        syncOptions: ['ServerSideApply=true'],
        retry: { limit: 10, refresh: true, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
      },
    });
    // what it syncs is the cluster's folder, exactly
    expect([...app.manifests.keys()].sort()).toEqual([...fleet.renderFiles().keys()].filter((f) => f.startsWith('clusters/alpha/')).sort());
  });

  test('is synced under the fleet\'s clusters project: the fleet repository, the Cluster API kinds, not into Argo CD\'s namespace', () => {
    const { fleet } = singleCluster();
    const project = argoCd(fleet).projects.get('test-clusters')!;
    expect(project).toMatchObject({
      sourceRepos: ['https://git.example.com/platform/fleet.git'],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    });
    expect(project.namespaceResourceWhitelist!.map((k) => k.kind).sort())
      .toEqual(['AWSManagedCluster', 'AWSManagedControlPlane', 'AWSManagedMachinePool', 'Cluster', 'MachinePool']);
    const inCluster = { name: 'in-cluster', server: 'https://kubernetes.default.svc' };
    expect(isDestinationPermitted(project, inCluster, 'test--alpha')).toBe(true);
    for (const namespace of ['argocd', 'kube-system', 'default']) {
      expect(isDestinationPermitted(project, inCluster, namespace)).toBe(false);
    }
    expect(isDestinationPermitted(project, { name: 'test--alpha', server: 'https://alpha.eks.example' }, 'test--alpha')).toBe(false);
  });

  test('renders the full EKS spec into the control plane and pools', () => {
    // GIVEN a spec that sets every field
    const { fleet } = singleCluster({
      nodePools: {
        general: {
          instanceType: 'm6i.large',
          minSize: 2,
          desiredSize: 3,
          maxSize: 5,
          capacityType: CapacityType.SPOT,
          diskSizeGiB: 80,
          labels: { role: 'general' },
          taints: [{ key: 'dedicated', value: 'general', effect: TaintEffect.NO_EXECUTE }],
        },
      },
      addons: [EksAddon.vpcCni({ version: 'v1.20.0-eksbuild.1', configuration: { z: 1, a: { c: true, b: false } } }), EksAddon.coreDns()],
      network: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
      endpointAccess: { public: true, private: true, publicCidrs: ['203.0.113.0/24'] },
      controlPlaneLogging: [ControlPlaneLog.AUDIT, ControlPlaneLog.API_SERVER],
      identity: AwsIdentity.staticCredentials('ci-credentials'),
      sshKeyName: 'ops',
      tags: { team: 'platform' },
    });
    // WHEN
    const objects = objectsOf(fleet);
    // THEN
    expect(findObject(objects, 'AWSManagedControlPlane', 'test--alpha-control-plane').spec).toEqual({
      eksClusterName: 'test--alpha',
      region: 'us-east-1',
      version: 'v1.34',
      addons: [
        { name: 'coredns', version: 'v1.12.4-eksbuild.29' },
        { name: 'vpc-cni', version: 'v1.20.0-eksbuild.1', configuration: '{"a":{"b":false,"c":true},"z":1}' },
      ],
      network: { vpc: { id: 'vpc-0123456789abcdef0' }, subnets: [{ id: 'subnet-0123456789abcdef0' }, { id: 'subnet-0123456789abcdef1' }] },
      endpointAccess: { public: true, private: true, publicCIDRs: ['203.0.113.0/24'] },
      logging: { apiServer: true, audit: true, authenticator: false, controllerManager: false, scheduler: false },
      identityRef: { kind: 'AWSClusterStaticIdentity', name: 'ci-credentials' },
      additionalTags: { team: 'platform' },
      ...TEST_ACCESS,
    });
    expect(findObject(objects, 'AWSManagedMachinePool', 'test--alpha-general').spec).toEqual({
      eksNodegroupName: 'test--alpha-general',
      instanceType: 'm6i.large',
      amiType: 'AL2023_x86_64_STANDARD',
      scaling: { minSize: 2, maxSize: 5 },
      capacityType: 'spot',
      diskSize: 80,
      labels: { role: 'general' },
      taints: [{ key: 'dedicated', value: 'general', effect: 'no-execute' }],
      remoteAccess: { sshKeyName: 'ops' },
    });
    expect((findObject(objects, 'MachinePool', 'test--alpha-general').spec as { replicas: number }).replicas).toBe(3);
  });

  test('emits a new VPC with its CIDR and availability zone count', () => {
    const { fleet } = singleCluster({ network: { vpcCidr: '10.50.0.0/16', availabilityZoneCount: 2 } });
    expect((findObject(objectsOf(fleet), 'AWSManagedControlPlane', 'test--alpha-control-plane').spec as { network: unknown }).network)
      .toEqual({ vpc: { cidrBlock: '10.50.0.0/16', availabilityZoneUsageLimit: 2 } });
  });

  describe('overrides', () => {
    test('replace scalars, change pool fields and merge tags and add-ons', () => {
      // GIVEN a profile and a cluster overriding some of its fields
      const fleet = testFleet();
      const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps({
        nodePools: { general: { instanceType: 'm6i.large', minSize: 1, maxSize: 3 } },
        addons: [EksAddon.vpcCni(), EksAddon.coreDns()],
        tags: { team: 'platform', tier: 'standard' },
      }));
      const profile = new Profile(fleet, 'base', { spec });
      new Cluster(fleet, 'alpha', {
        profiles: [profile],
        overrides: {
          region: 'eu-central-1',
          nodePools: { general: { maxSize: 10, desiredSize: 4 } },
          addons: [EksAddon.coreDns({ version: 'v1.11.4-eksbuild.2' })],
          tags: { tier: 'gold' },
        },
      });
      // WHEN
      const objects = objectsOf(fleet);
      // THEN
      const controlPlane = findObject(objects, 'AWSManagedControlPlane', 'test--alpha-control-plane').spec as Record<string, unknown>;
      expect(controlPlane.region).toBe('eu-central-1');
      expect(controlPlane.additionalTags).toEqual({ team: 'platform', tier: 'gold' });
      expect(controlPlane.addons).toEqual([
        { name: 'coredns', version: 'v1.11.4-eksbuild.2' },
        { name: 'vpc-cni', version: 'v1.22.4-eksbuild.3' },
      ]);
      expect(findObject(objects, 'AWSManagedMachinePool', 'test--alpha-general').spec).toMatchObject({ instanceType: 'm6i.large', scaling: { minSize: 1, maxSize: 10 } });
      expect((findObject(objects, 'MachinePool', 'test--alpha-general').spec as { replicas: number }).replicas).toBe(4);
    });

    test('can hold a cluster on its own Kubernetes version', () => {
      const { fleet } = singleCluster({}, { overrides: { kubernetesVersion: KubernetesVersion.V1_33 } });
      const objects = objectsOf(fleet);
      expect((findObject(objects, 'AWSManagedControlPlane', 'test--alpha-control-plane').spec as { version: string }).version).toBe('v1.33');
      expect((findObject(objects, 'MachinePool', 'test--alpha-general').spec as { template: { spec: { version: string } } }).template.spec.version)
        .toBe('v1.33.0');
    });

    test('lets a pool trail its control plane during an upgrade', () => {
      const { fleet } = singleCluster({
        kubernetesVersion: KubernetesVersion.V1_35,
        nodePools: { general: { instanceType: 'm6i.large', kubernetesVersion: KubernetesVersion.V1_34 } },
      });
      const objects = objectsOf(fleet);
      expect((findObject(objects, 'AWSManagedControlPlane', 'test--alpha-control-plane').spec as { version: string }).version).toBe('v1.35');
      expect((findObject(objects, 'MachinePool', 'test--alpha-general').spec as { template: { spec: { version: string } } }).template.spec.version)
        .toBe('v1.34.0');
    });
  });

  describe('AMI release versions', () => {
    test('a profile pins a pool\'s AMI release, a cluster overrides it, and dist/ reads it back', () => {
      // GIVEN a profile pinning the release, one cluster moving on ahead of it, and a Bottlerocket pool of its own
      const fleet = testFleet();
      const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps({ nodePools: { general: { instanceType: 'm6i.large', amiReleaseVersion: '1.34.1-20251103' } } }));
      const profile = new Profile(fleet, 'base', { spec });
      new Cluster(fleet, 'alpha', { profiles: [profile] });
      const beta = new Cluster(fleet, 'beta', { profiles: [profile], overrides: { nodePools: { general: { amiReleaseVersion: '1.34.2-20251201' } } } });
      beta.addNodePool('rocket', { instanceType: 'm6i.large', amiType: AmiType.BOTTLEROCKET_X86_64, amiReleaseVersion: '1.26.0-5a5a4e2c' });
      // WHEN
      const files = fleet.renderFiles();
      // THEN each AWSManagedMachinePool carries its release as CAPA's amiVersion
      const pools = [...parseFiles(files).values()].filter((o) => o.kind === 'AWSManagedMachinePool');
      const release = (cluster: Cluster, pool: string) =>
        (pools.find((o) => o.metadata.name === cluster.nodePools.get(pool)!.awsManagedMachinePool.name)!.spec as { amiVersion?: string }).amiVersion;
      const alpha = fleet.node.findChild('alpha') as Cluster;
      expect([release(alpha, 'general'), release(beta, 'general'), release(beta, 'rocket')]).toEqual(['1.34.1-20251103', '1.34.2-20251201', '1.26.0-5a5a4e2c']);
      // AND the reader gives them back
      const dist = readDistFiles(files, 'test');
      expect(dist.clusters.find((c) => c.name === 'beta')!.nodePools.map((p) => [p.name, p.amiType, p.amiReleaseVersion])).toEqual([
        ['general', 'AL2023_x86_64_STANDARD', '1.34.2-20251201'],
        ['rocket', 'BOTTLEROCKET_x86_64', '1.26.0-5a5a4e2c'],
      ]);
      expect(dist.clusters.find((c) => c.name === 'alpha')!.overrides).toEqual([]);
    });

    test('a pool without a pinned release emits no amiVersion: EKS keeps the release a node group runs', () => {
      const { fleet } = singleCluster();
      const pool = [...parseFiles(fleet.renderFiles()).values()].find((o) => o.kind === 'AWSManagedMachinePool')!;
      expect(pool.spec).not.toHaveProperty('amiVersion');
    });
  });

  test('adds a node pool of its own', () => {
    const { fleet, cluster } = singleCluster();
    const gpu = cluster.addNodePool('gpu', { instanceType: 'g5.xlarge', minSize: 0, maxSize: 2 });
    expect(gpu.awsManagedMachinePool.name).toBe('test--alpha-gpu');
    expect([...cluster.nodePools.keys()]).toEqual(['general', 'gpu']);
    expect(findObject(objectsOf(fleet), 'AWSManagedMachinePool', 'test--alpha-gpu').spec).toMatchObject({ scaling: { minSize: 0, maxSize: 2 } });
  });

  test('exposes the generated objects as escape hatches', () => {
    // GIVEN a field the library does not model, set through the escape hatch
    const { fleet, cluster } = singleCluster();
    cluster.controlPlane.addJsonPatch(JsonPatch.add('/spec/upgradePolicy', 'standard'));
    // THEN it reaches the output, and the default child is the Cluster API Cluster
    expect((findObject(objectsOf(fleet), 'AWSManagedControlPlane', 'test--alpha-control-plane').spec as { upgradePolicy: string }).upgradePolicy)
      .toBe('standard');
    expect(ApiObject.of(cluster).kind).toBe('Cluster');
    expect(cluster.nodePools.get('general')!.machinePool.kind).toBe('MachinePool');
  });

  test('matches the snapshot of its files', () => {
    const { fleet } = singleCluster({ addons: [EksAddon.vpcCni(), EksAddon.kubeProxy()] }, { labels: { env: 'test' } });
    expect(Object.fromEntries([...fleet.renderFiles()].filter(([file]) => file.includes('/alpha')))).toMatchSnapshot();
  });
});

describe('NodePool', () => {
  test('matches the snapshot of its two objects', () => {
    const { fleet, cluster } = singleCluster();
    cluster.addNodePool('spot', { instanceType: 'c7i.xlarge', minSize: 0, maxSize: 10, capacityType: CapacityType.SPOT, diskSizeGiB: 40 });
    expect(Object.fromEntries([...fleet.renderFiles()].filter(([file]) => file.endsWith('alpha-spot.yaml')))).toMatchSnapshot();
  });
});
