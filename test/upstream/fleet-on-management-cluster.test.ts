/**
 * The fleets this project ships, brought up on a management cluster modelled from upstream code: every Cluster API
 * object through the API server's admission chain (CRD defaulting, the Cluster API v1.14.0 and CAPA v2.11.1
 * webhooks), then what CAPA v2.11.1 asks of EKS and what EKS refuses (see the modules beside this file). Asserts
 * what a working cluster needs, not what the YAML says.
 */
import { bundleApplications, type ArgoInstance } from './argocd-instance';
import { reconcileNodegroupScaling, replicasManagedByAutoscaler, type CapaFeatureGates } from './capa-eks-controller';
import type { ManagedMachinePool } from './capa-machinepool-webhook';
import {
  AUTOSCALER_MAX_SIZE_ANNOTATION, AUTOSCALER_MIN_SIZE_ANNOTATION, REPLICAS_MANAGED_BY_ANNOTATION, type MachinePool,
} from './capi-machinepool-webhook';
import { INSTANCE_FAMILIES, amiArchitecture } from './eks-api';
import { parseCidr, cidrContains } from './go-net';
import { ManagementCluster, type EksOutcome } from './management-cluster';
import { buildBenchFleet } from '../../bench/bench-fleet';
import { buildExampleFleet } from '../../example/fleet';
import type { Fleet } from '../../src';
import type { KubeObject } from '../../src/kube/types';
import { argoCdOnDist } from '../support/argo';
import { parseFiles } from '../support/fleet-files';

/** The CAPA gates a fleet states, with the MachinePool gate the README lists as a prerequisite (EXP_MACHINE_POOL=true). */
const gatesOf = (fleet: Fleet): CapaFeatureGates => ({ EKSEnableIAM: fleet.management.eksEnableIam, MachinePool: true });

interface BroughtUp {
  readonly fleet: Fleet;
  readonly objects: ReadonlyMap<string, KubeObject>;
  readonly management: ManagementCluster;
  readonly refused: readonly string[];
  readonly outcomes: ReadonlyMap<string, EksOutcome>;
  /** Argo CD running the fleet's dist/, every cluster registered. */
  readonly argo: ArgoInstance;
}

/** Each fleet's files and objects, rendered once (a synth of the example takes a second); the tests only read them. */
const renders = new WeakMap<Fleet, { files: ReadonlyMap<string, string>; objects: ReadonlyMap<string, KubeObject> }>();

function rendered(fleet: Fleet): { files: ReadonlyMap<string, string>; objects: ReadonlyMap<string, KubeObject> } {
  let found = renders.get(fleet);
  if (found === undefined) {
    const files = fleet.renderFiles();
    found = { files, objects: parseFiles(files) };
    renders.set(fleet, found);
  }
  return found;
}

/** Applies every object under `clusters/` as Argo CD would, then reconciles each cluster's EKS resources. */
function bringUp(fleet: Fleet, gates: CapaFeatureGates = gatesOf(fleet)): BroughtUp {
  const { files, objects } = rendered(fleet);
  const management = new ManagementCluster({ capaGates: gates });
  const refused: string[] = [];
  for (const [file, obj] of objects) {
    if (file.startsWith('clusters/')) {
      refused.push(...management.apply(obj).errors.map((e) => `${file}: ${e}`));
    }
  }
  // Each cluster folder holds one Cluster API Cluster, in the cluster's namespace (`<fleet>--<cluster>` unless unscoped).
  const namespaces = new Map([...objects].filter(([file, obj]) => file.startsWith('clusters/') && obj.kind === 'Cluster')
    .map(([file, obj]) => [file.split('/')[1], obj.metadata.namespace!]));
  const outcomes = new Map(refused.length > 0 ? [] : [...namespaces].map(([c, namespace]) => [c, management.reconcileEks(namespace)]));
  // Argo CD is brought up when a test asks for it (not every test does).
  let argo: ArgoInstance | undefined;
  return {
    fleet,
    objects,
    management,
    refused,
    outcomes,
    get argo() {
      return (argo ??= argoCdOnDist(files));
    },
  };
}

/** The example fleet, built once for the file. */
let example: Fleet | undefined;
const exampleFleet = (): Fleet => (example ??= buildExampleFleet({ outdir: '/nonexistent' }));
/** The example fleet brought up with the gates it states, once for the file: the tests that use it only read it. */
let exampleUp: BroughtUp | undefined;
const exampleBroughtUp = (): BroughtUp => (exampleUp ??= bringUp(exampleFleet()));

/** The Helm values of each bundle Application Argo CD runs for the fleet, by cluster (every cluster registered). */
function bundleValuesByCluster(argo: ArgoInstance): Map<string, unknown[]> {
  const byCluster = new Map<string, unknown[]>();
  for (const app of bundleApplications(argo).values()) {
    const cluster = app.object.metadata.labels!['arlon.io/cluster'];
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), app.helmValues ?? {}]);
  }
  return byCluster;
}

describe.each([
  ['the example fleet', exampleBroughtUp, ['canary-use1', 'prod-euw1', 'prod-use1']],
  ['the benchmark fleet (50 clusters, every Kubernetes version)', () => bringUp(buildBenchFleet(50, '/nonexistent')), []],
])('%s on a management cluster', (_name, broughtUp, autoscaledClusters) => {
  const up = broughtUp();
  const stored = (kind: string) => up.management.list(kind);

  test('every Cluster API object is admitted: CRD defaults, then the Cluster API and CAPA webhooks', () => {
    expect(up.refused).toEqual([]);
    expect(stored('Cluster').length).toBeGreaterThan(0);
  });

  test('CAPA creates every cluster, add-on and node group, and EKS accepts them', () => {
    expect([...up.outcomes.values()].flatMap((o) => o.problems.map((p) => `${o.cluster}: ${p}`))).toEqual([]);
  });

  test('every autoscaled pool starts inside its bounds, at its minimum, and every other pool at its desired size', () => {
    const pools = up.fleet.node.findAll().flatMap((c) => ('nodePools' in c && c.nodePools instanceof Map ? [...c.nodePools.values()] : []));
    expect(pools.length).toBe(stored('MachinePool').length);
    for (const mp of stored('MachinePool') as unknown as MachinePool[]) {
      const mmp = up.management.get('AWSManagedMachinePool', mp.metadata.namespace!, mp.metadata.name!) as unknown as ManagedMachinePool;
      const { minSize, maxSize } = mmp.spec.scaling!;
      const replicas = mp.spec.replicas!;
      expect({ pool: mp.metadata.name, inBounds: replicas >= minSize! && replicas <= maxSize! }).toEqual({ pool: mp.metadata.name, inBounds: true });
      if (replicasManagedByAutoscaler(mp)) {
        expect(replicas).toBe(minSize);
        expect(mp.metadata.annotations?.[AUTOSCALER_MIN_SIZE_ANNOTATION]).toBe(String(minSize));
        expect(mp.metadata.annotations?.[AUTOSCALER_MAX_SIZE_ANNOTATION]).toBe(String(maxSize));
      } else {
        const pool = pools.find((p) => p.awsManagedMachinePool.name === mp.metadata.name)!;
        expect(replicas).toBe(pool.pool.desiredSize);
      }
    }
  });

  test('CAPA leaves the size of every node group of a cluster running cluster-autoscaler to it, and holds every other at its replicas', () => {
    const autoscaled = new Set([...bundleApplications(up.argo).values()]
      .filter((a) => a.object.metadata.labels!['arlon.io/bundle'] === 'cluster-autoscaler').map((a) => a.object.metadata.labels!['arlon.io/cluster']));
    expect([...autoscaled].sort()).toEqual(autoscaledClusters);
    for (const mp of stored('MachinePool') as unknown as MachinePool[]) {
      const mmp = up.management.get('AWSManagedMachinePool', mp.metadata.namespace!, mp.metadata.name!) as unknown as ManagedMachinePool;
      const { minSize, maxSize } = mmp.spec.scaling as { minSize: number; maxSize: number };
      // GIVEN the node group as created, then moved to its maximum where cluster-autoscaler runs (it scales every node group it discovers)
      const desired = autoscaled.has(mp.metadata.labels!['arlon.io/cluster']) ? maxSize : mp.spec.replicas!;
      // WHEN CAPA reconciles it
      const outcome = reconcileNodegroupScaling(mp, mmp, { desiredSize: desired, minSize, maxSize });
      // THEN it sends EKS nothing
      expect({ pool: mp.metadata.name, sent: outcome.scalingConfig }).toEqual({ pool: mp.metadata.name, sent: undefined });
    }
  });

  test('every node group gets an explicit AMI type EKS offers for its version, on its instances\' architecture', () => {
    for (const ng of [...up.outcomes.values()].flatMap((o) => o.nodegroups)) {
      const family = INSTANCE_FAMILIES[ng.request.instanceTypes[0].split('.')[0]];
      expect(ng.request.amiType).toMatch(/^AL2023_/);
      expect(amiArchitecture(ng.request.amiType!)).toBe(family.arch);
    }
  });

  test('a cluster whose pods assume IAM roles has an IAM OIDC provider, and CAPA may create it', () => {
    const values = bundleValuesByCluster(up.argo);
    for (const cp of stored('AWSManagedControlPlane')) {
      const spec = cp.spec as { eksClusterName: string; associateOIDCProvider?: boolean; addons?: Array<{ serviceAccountRoleARN?: string }> };
      const usesIrsa = (spec.addons ?? []).some((a) => a.serviceAccountRoleARN !== undefined)
        || JSON.stringify(values.get(cp.metadata.labels!['arlon.io/cluster']) ?? []).includes('eks.amazonaws.com/role-arn');
      expect({ cluster: spec.eksClusterName, oidc: spec.associateOIDCProvider === true }).toEqual({ cluster: spec.eksClusterName, oidc: usesIrsa });
      if (usesIrsa) {
        expect(up.fleet.management.eksEnableIam).toBe(true);
      }
    }
  });

  test('Argo CD can authenticate to every cluster it installs bundles on, with the role register writes', () => {
    const values = bundleValuesByCluster(up.argo);
    const role = up.fleet.management.argoCdRoleArn;
    let checked = 0;
    for (const cp of stored('AWSManagedControlPlane')) {
      const spec = cp.spec as {
        eksClusterName: string;
        accessConfig?: { authenticationMode?: string };
        accessEntries?: Array<{ principalARN: string; accessPolicies?: Array<{ policyARN: string; accessScope: { type: string } }> }>;
      };
      if (!values.has(cp.metadata.labels!['arlon.io/cluster'])) {
        continue;
      }
      checked++;
      expect(['api', 'api_and_config_map']).toContain(spec.accessConfig?.authenticationMode);
      const entry = spec.accessEntries?.find((e) => e.principalARN === role);
      expect(entry?.accessPolicies).toContainEqual({
        policyARN: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' },
      });
    }
    expect(checked).toBeGreaterThan(0);
    const root = [...up.objects.values()].find((o) => o.kind === 'Application' && o.metadata.name === up.fleet.name)!;
    expect(root.metadata.annotations?.['arlon.io/argocd-role-arn']).toBe(role);
  });

  test('the management cluster can reach every cluster\'s API endpoint', () => {
    const egress = (up.fleet.management.egressCidrs ?? []).map(parseCidr);
    for (const outcome of up.outcomes.values()) {
      const request = outcome.createCluster;
      const allowed = request.publicAccessCidrs.length === 0 ? [parseCidr('0.0.0.0/0')] : request.publicAccessCidrs.map(parseCidr);
      const reachable = (request.endpointPublicAccess && egress.every((e) => allowed.some((a) => cidrContains(a, e))))
        || (request.endpointPrivateAccess && up.fleet.management.reachesPrivateEndpoints);
      expect({ cluster: outcome.cluster, reachable }).toEqual({ cluster: outcome.cluster, reachable: true });
    }
  });
});

describe('what the harness catches in the output this library used to emit', () => {
  const oldAutoscaledPool = (): KubeObject[] => [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachinePool',
      metadata: { name: 'p-system', namespace: 'p', annotations: { [REPLICAS_MANAGED_BY_ANNOTATION]: 'external-autoscaler' } },
      spec: {
        clusterName: 'p',
        template: {
          spec: {
            clusterName: 'p',
            bootstrap: { dataSecretName: '' },
            version: 'v1.33.0',
            infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'AWSManagedMachinePool', name: 'p-system' },
          },
        },
      },
    },
    {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'AWSManagedMachinePool',
      metadata: { name: 'p-system', namespace: 'p' },
      spec: { eksNodegroupName: 'p-system', instanceType: 'm6i.xlarge', scaling: { minSize: 3, maxSize: 6 }, capacityType: 'onDemand' },
    },
    {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'AWSManagedControlPlane',
      metadata: { name: 'p-control-plane', namespace: 'p' },
      spec: { eksClusterName: 'p', region: 'us-east-1', version: 'v1.33' },
    },
  ];

  test('an autoscaled pool with only replicas-managed-by starts at 1 replica, below its minimum of 3, and on AL2: EKS refuses it', () => {
    const management = new ManagementCluster({ capaGates: { EKSEnableIAM: false, MachinePool: true } });
    for (const obj of oldAutoscaledPool()) {
      expect(management.apply(obj).errors).toEqual([]);
    }
    expect((management.get('MachinePool', 'p', 'p-system')!.spec as { replicas: number }).replicas).toBe(1);
    expect(management.reconcileEks('p').problems).toEqual([
      'node group p-system: desiredSize 1 is below minSize 3',
      'node group p-system: AMI type AL2_x86_64 is Amazon Linux 2, which EKS does not offer for Kubernetes 1.33',
    ]);
  });

  test('the documented one-time fix repairs a pool already defaulted to 1: set its replicas to the minimum once', () => {
    // GIVEN the old pool stored, its replicas defaulted to 1, and kept by server-side apply when the fixed manifest arrives
    const management = new ManagementCluster({ capaGates: { EKSEnableIAM: false, MachinePool: true } });
    const [machinePool, managedPool, controlPlane] = oldAutoscaledPool();
    management.apply(controlPlane);
    management.apply(machinePool);
    management.setByController('MachinePool', 'p', 'p-system', 'spec.replicas', 1);
    const fixed = structuredClone(machinePool);
    fixed.metadata.annotations = { ...fixed.metadata.annotations, [AUTOSCALER_MIN_SIZE_ANNOTATION]: '3', [AUTOSCALER_MAX_SIZE_ANNOTATION]: '6' };
    management.apply(fixed);
    management.apply({ ...managedPool, spec: { ...managedPool.spec as object, amiType: 'AL2023_x86_64_STANDARD' } });
    // THEN the annotations alone do not repair it: defaulting only runs while replicas is unset
    expect(management.reconcileEks('p').problems).toEqual(['node group p-system: desiredSize 1 is below minSize 3']);
    // WHEN the README's fix runs: kubectl -n p patch machinepool p-system --type merge -p '{"spec":{"replicas":3}}'
    management.setByController('MachinePool', 'p', 'p-system', 'spec.replicas', 3);
    // THEN EKS creates the node group, and from then on CAPA copies the autoscaler's size into the MachinePool
    expect(management.reconcileEks('p').problems).toEqual([]);
  });

  test('an IRSA add-on on a control plane asking for an OIDC provider fails every reconcile without CAPA\'s EKSEnableIAM gate', () => {
    const management = new ManagementCluster({ capaGates: { EKSEnableIAM: false, MachinePool: true } });
    const [machinePool, managedPool, controlPlane] = oldAutoscaledPool();
    management.apply({ ...controlPlane, spec: { ...controlPlane.spec as object, associateOIDCProvider: true } });
    management.apply({ ...machinePool, spec: { ...machinePool.spec as object, replicas: 3 } });
    management.apply({ ...managedPool, spec: { ...managedPool.spec as object, amiType: 'AL2023_x86_64_STANDARD' } });
    expect(management.reconcileEks('p').problems).toEqual([
      'CAPA control plane reconcile: \'AssociateOIDCProvider\' provided without enabling the \'EKSEnableIAM\' feature flag',
    ]);
  });

  test('without EXP_MACHINE_POOL=true, as clusterctl installs CAPA by default, no node group is ever created', () => {
    const up = bringUp(exampleFleet(), { EKSEnableIAM: true, MachinePool: false });
    expect(up.refused).toEqual([]);
    const problems = [...up.outcomes.values()].flatMap((o) => o.problems);
    expect(problems).toHaveLength(9);
    expect(new Set(problems.map((p) => p.replace(/^node group \S+: /, '')))).toEqual(new Set([
      'CAPA\'s managed machine pool controller is off (MachinePool gate): the node group is never created',
    ]));
  });
});

test('the API server admits every object\'s metadata, the record of a cluster\'s overrides included, and refuses a malformed one', () => {
  // GIVEN the example fleet admitted: the Cluster of prod-euw1 records the four fields of its profile's spec it overrides
  const up = exampleBroughtUp();
  expect(up.refused).toEqual([]);
  const [, manifest] = [...up.objects].find(([f, o]) => f.startsWith('clusters/prod-euw1/') && o.kind === 'Cluster')!;
  expect(manifest.metadata.name).toBe(`${up.fleet.name}--prod-euw1`);
  expect(up.management.get('Cluster', manifest.metadata.namespace!, manifest.metadata.name)!.metadata.annotations?.['arlon.io/overrides'])
    .toBe('endpointAccess,nodePools.workers,region,tags');
  // THEN the same object with an annotation key that is not a qualified name is refused by the metadata checks
  const bad = { ...manifest, metadata: { ...manifest.metadata, annotations: { ...manifest.metadata.annotations, 'arlon.io/over rides': 'region' } } };
  expect(new ManagementCluster({ capaGates: gatesOf(up.fleet) }).apply(bad).errors)
    .toEqual([expect.stringMatching(/^object metadata: metadata\.annotations: Invalid value: "arlon\.io\/over rides": name part must consist of/)]);
});

