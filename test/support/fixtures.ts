import { App, Chart } from 'cdk8s';
import {
  Cluster, EksClusterSpec, Fleet, KubernetesVersion, Profile,
  type ClusterProps, type EksClusterSpecProps, type FleetProps,
} from '../../src';

/**
 * The management cluster of test fleets: Argo CD's role named (clusters with bundles need it) and egress from
 * 203.0.113.16/28, inside the 203.0.113.0/24 that tests restrict public endpoints to.
 */
export const TEST_MANAGEMENT = { argoCdRoleArn: 'arn:aws:iam::111122223333:role/argocd', egressCidrs: ['203.0.113.16/28'] };

/** What every test cluster's control plane carries for `TEST_MANAGEMENT`: Argo CD's access entry. */
export const TEST_ACCESS = {
  accessConfig: { authenticationMode: 'api_and_config_map' },
  accessEntries: [{
    principalARN: TEST_MANAGEMENT.argoCdRoleArn,
    type: 'standard',
    accessPolicies: [{ policyARN: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' } }],
  }],
};

/** A fleet that is never written to disk unless a test asks (outdir points at a path that is not created). */
export function testFleet(props: Partial<FleetProps> = {}): Fleet {
  return new Fleet({
    name: 'test',
    repoUrl: 'https://git.example.com/platform/fleet.git',
    targetRevision: 'main',
    outdir: '/nonexistent/dist',
    management: TEST_MANAGEMENT,
    ...props,
  });
}

/** The smallest valid spec: one pool of one instance type. */
export function minimalSpecProps(overrides: Partial<EksClusterSpecProps> = {}): EksClusterSpecProps {
  return {
    kubernetesVersion: KubernetesVersion.V1_34,
    region: 'us-east-1',
    nodePools: { general: { instanceType: 'm6i.large' } },
    ...overrides,
  };
}

/** A fleet with one spec profile and one cluster built from it. */
export function singleCluster(specProps: Partial<EksClusterSpecProps> = {}, clusterProps: Partial<ClusterProps> = {}):
{ fleet: Fleet; profile: Profile; cluster: Cluster } {
  const fleet = testFleet();
  const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps(specProps));
  const profile = new Profile(fleet, 'base', { spec });
  const cluster = new Cluster(fleet, 'alpha', { profiles: [profile], ...clusterProps });
  return { fleet, profile, cluster };
}

/** A chart in an app that is never synthesized: cdk8s' `Testing.chart()` leaves an empty temporary folder behind each time. */
export function scratchChart(): Chart {
  return new Chart(new App({ outdir: '/nonexistent/cdk8s.out' }), 'test');
}
