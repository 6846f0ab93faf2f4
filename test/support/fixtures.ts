import {
  Cluster, EksClusterSpec, Fleet, KubernetesVersion, Profile,
  type ClusterProps, type EksClusterSpecProps, type FleetProps,
} from '../../src';

/** A fleet that is never written to disk unless a test asks (outdir points at a path that is not created). */
export function testFleet(props: Partial<FleetProps> = {}): Fleet {
  return new Fleet({ name: 'test', repoUrl: 'https://git.example.com/platform/fleet.git', targetRevision: 'main', outdir: '/nonexistent/dist', ...props });
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
