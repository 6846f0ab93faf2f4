/**
 * Issue 24, item 3: the management cluster is denied to bundles by every address the fleet knows it by. Argo CD
 * resolves a destination (by name or server) to one cluster and matches the project's destinations against its name
 * and its server (argoproj/argo-cd v3.5.1 `isDestinationMatched`, ported in src/operations/transitions/argocd-project.ts),
 * so a management cluster registered a second time under its EKS endpoint, or under another name, must be denied by
 * that endpoint and that name too.
 */
import { Bundle, Cluster, ClusterNaming, EksClusterSpec, Profile } from '../src';
import type { FleetProps } from '../src';
import { minimalSpecProps, TEST_MANAGEMENT, testFleet } from './support/fixtures';
import { findObject, parseFiles } from './support/fleet-files';
import { IN_CLUSTER_SERVER } from '../src/argocd/destinations';
import { isDestinationPermitted, type AppProjectSpec } from '../src/operations/transitions/argocd-project';

const EKS_ENDPOINT = 'https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com';
const IPV6_ENDPOINT = 'https://[2001:db8::1]:6443';

/** The bundles AppProject of a fleet with one cluster and two bundles (namespaces `apps` and `kube-system`). */
function bundlesProject(props: Partial<FleetProps> = {}): AppProjectSpec {
  const fleet = testFleet(props);
  const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps());
  const profile = new Profile(fleet, 'base', {
    spec,
    bundles: [
      Bundle.helm('app', { repoUrl: 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'apps' }),
      Bundle.helm('agent', { repoUrl: 'https://charts.example.com', chart: 'agent', version: '1.0.0', namespace: 'kube-system', createNamespace: false }),
    ],
  });
  new Cluster(fleet, 'dev-use1', { profiles: [profile] });
  return findObject(parseFiles(fleet.renderFiles()), 'AppProject', 'test-bundles').spec as AppProjectSpec;
}

describe('the bundles AppProject denies the management cluster by every address it is known by', () => {
  const known = { ...TEST_MANAGEMENT, apiServerUrls: [`${EKS_ENDPOINT}/`, IPV6_ENDPOINT], argoCdClusterNames: ['mgmt-eks'] };

  test.each([
    ['Argo CD\'s in-cluster entry', { name: 'in-cluster', server: IN_CLUSTER_SERVER }],
    ['a Secret for the in-cluster address under another name', { name: 'local', server: IN_CLUSTER_SERVER }],
    ['a Secret for its EKS endpoint under the name the Fleet records', { name: 'mgmt-eks', server: EKS_ENDPOINT }],
    ['a Secret for its EKS endpoint under any other name', { name: 'someone-elses-name', server: EKS_ENDPOINT }],
    ['a Secret under the recorded name at another address', { name: 'mgmt-eks', server: 'https://mgmt.internal.example.com' }],
    ['a Secret for an IPv6 address (glob characters escaped)', { name: 'v6', server: IPV6_ENDPOINT }],
  ])('%s is not a permitted destination, in any bundle namespace', (_what, cluster) => {
    // GIVEN the addresses stated on the Fleet
    const project = bundlesProject({ management: known });
    // THEN
    for (const namespace of ['apps', 'kube-system', 'default']) {
      expect({ namespace, permitted: isDestinationPermitted(project, cluster, namespace) }).toEqual({ namespace, permitted: false });
    }
  });

  test('a workload cluster stays permitted in the bundles\' namespaces, and only there', () => {
    const project = bundlesProject({ management: known });
    const workload = { name: 'dev-use1', server: 'https://FEDCBA9876543210FEDCBA9876543210.gr7.us-east-1.eks.amazonaws.com' };
    expect(isDestinationPermitted(project, workload, 'apps')).toBe(true);
    expect(isDestinationPermitted(project, workload, 'kube-system')).toBe(true);
    expect(isDestinationPermitted(project, workload, 'default')).toBe(false);
    // a name that merely starts like a denied one is not denied (patterns are literals)
    expect(isDestinationPermitted(project, { name: 'mgmt-eks-2', server: 'https://other.example.com' }, 'apps')).toBe(true);
  });

  test('without stated addresses, the in-cluster name is denied as well as the in-cluster server', () => {
    // GIVEN the management cluster renamed in Argo CD (a cluster Secret for its EKS endpoint named "mgmt")
    const project = bundlesProject({ managementClusterName: 'mgmt' });
    // THEN the name denies it, whatever server the Secret holds
    expect(isDestinationPermitted(project, { name: 'mgmt', server: EKS_ENDPOINT }, 'apps')).toBe(false);
    expect(isDestinationPermitted(project, { name: 'in-cluster', server: IN_CLUSTER_SERVER }, 'apps')).toBe(false);
  });

  test('the deny rules are one per known address and bundle namespace, servers first', () => {
    const project = bundlesProject({ management: known });
    expect(project.destinations).toEqual([
      { namespace: 'apps', server: '!https://kubernetes.default.svc' },
      { namespace: 'apps', server: `!${EKS_ENDPOINT}` },
      { namespace: 'apps', server: '!https://\\[2001:db8::1\\]:6443' },
      { namespace: 'apps', name: '!in-cluster' },
      { namespace: 'apps', name: '!mgmt-eks' },
      { namespace: 'kube-system', server: '!https://kubernetes.default.svc' },
      { namespace: 'kube-system', server: `!${EKS_ENDPOINT}` },
      { namespace: 'kube-system', server: '!https://\\[2001:db8::1\\]:6443' },
      { namespace: 'kube-system', name: '!in-cluster' },
      { namespace: 'kube-system', name: '!mgmt-eks' },
    ]);
  });
});

describe('the addresses of the management cluster are checked', () => {
  test('an API server URL that is not https is refused, naming it', () => {
    expect(() => bundlesProject({ management: { ...TEST_MANAGEMENT, apiServerUrls: ['mgmt.example.com:6443'] } }))
      .toThrow(/`management.apiServerUrls` entry "mgmt.example.com:6443" is not an https URL of an API server; give it as Argo CD and kubeconfigs name it/);
  });

  test('a name with whitespace is refused', () => {
    expect(() => bundlesProject({ management: { ...TEST_MANAGEMENT, argoCdClusterNames: ['mgmt eks'] } }))
      .toThrow(/`management.argoCdClusterNames` entry "mgmt eks" is empty or holds whitespace/);
  });

  test('a fleet cluster may not take a name Argo CD knows the management cluster by', () => {
    // Argo CD knows fleet cluster dev-use1 as test--dev-use1 (fleet-scoped names), or as dev-use1 when unscoped.
    expect(() => bundlesProject({ management: { ...TEST_MANAGEMENT, argoCdClusterNames: ['test--dev-use1'] } }))
      .toThrow(/cluster name "dev-use1" gives a name Argo CD knows the management cluster by \(`management.argoCdClusterNames`: test--dev-use1\), .*rename the cluster/);
    expect(() => bundlesProject({ clusterNaming: ClusterNaming.UNSCOPED, management: { ...TEST_MANAGEMENT, argoCdClusterNames: ['dev-use1'] } }))
      .toThrow(/cluster name "dev-use1" gives a name Argo CD knows the management cluster by/);
    expect(() => bundlesProject({ management: { ...TEST_MANAGEMENT, argoCdClusterNames: ['dev-use1'] } })).not.toThrow();
  });
});
