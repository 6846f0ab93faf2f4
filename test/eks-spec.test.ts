import {
  AddonConflictResolution, AmiType, AwsIdentity, CapacityType, EksAddon, EksClusterSpec, KNOWN_EKS_VERSIONS, KubernetesVersion, TaintEffect,
} from '../src';
import { minimalSpecProps, testFleet } from './support/fixtures';
import { checkIpv4Cidr } from '../src/_validate';
import { DEFAULT_ADDON_VERSIONS } from '../src/eks/eks-addon-defaults';
import { resolveEksSpec } from '../src/eks/resolve';

describe('KubernetesVersion', () => {
  test('renders the forms CAPA and CAPI store', () => {
    expect(KubernetesVersion.V1_34.controlPlaneVersion).toBe('v1.34');
    expect(KubernetesVersion.V1_34.machinePoolVersion).toBe('v1.34.0');
    expect(KubernetesVersion.of('1.35').minor).toBe(35);
  });

  test('accepts every known EKS version and nothing more', () => {
    for (const version of KNOWN_EKS_VERSIONS) {
      expect(KubernetesVersion.of(version).problem('`v`')).toBeUndefined();
    }
    expect(KubernetesVersion.of('1.31').problem('`v`')).toMatch(/"1.31" is not a Kubernetes version EKS offers \(known: 1.32, .*1.36\)/);
  });

  test('fails for a patch version and suggests the minor', () => {
    expect(KubernetesVersion.of('1.34.2').problem('`kubernetesVersion`')).toBe(
      '`kubernetesVersion` "1.34.2" is malformed: EKS versions are "major.minor" without a "v" or a patch (EKS chooses the patch), e.g. "1.34"; try "1.34"');
    expect(KubernetesVersion.of('v1.34').problem('`v`')).toMatch(/malformed.*try "1.34"/);
    expect(KubernetesVersion.of('latest').problem('`v`')).toMatch(/"latest" is malformed/);
  });

  test('fails for an unknown version and names the escape', () => {
    expect(KubernetesVersion.of('1.40').problem('`kubernetesVersion`'))
      .toMatch(/"1.40" is not a Kubernetes version EKS offers .*KubernetesVersion.unlisted\("1.40"\)/);
    expect(KubernetesVersion.unlisted('1.40').problem('`v`')).toBeUndefined();
    expect(KubernetesVersion.unlisted('one.forty').problem('`v`')).toMatch(/malformed/);
  });
});

describe('KubernetesVersion.unlisted, the escape hatch for versions newer than the library', () => {
  test('accepts a newer version with a warning', () => {
    expect(KubernetesVersion.unlisted('1.37').problem('`v`')).toBeUndefined();
    expect(KubernetesVersion.unlisted('1.37').warning('`v`')).toMatch(/^`v` "1.37" is not one this library knows .*accepted because it is KubernetesVersion.unlisted/);
    expect(KubernetesVersion.of('1.34').warning('`v`')).toBeUndefined();
  });

  test('refuses a version EKS retired, older than the oldest in extended support', () => {
    for (const version of ['1.31', '1.23', '1.0']) {
      expect(KubernetesVersion.unlisted(version).problem('`v`')).toMatch(new RegExp(`^\`v\` "${version.replace('.', '\\.')}" is not a Kubernetes version EKS offers .*: it is retired, `
        + '.*use 1.32 or later \\(`KubernetesVersion.unlisted` is for versions newer'));
    }
  });
});

describe('canonical CIDR blocks', () => {
  test.each([
    ['10.0.0.1/16', /has host bits set: a \/16 block starts at 10.0.0.0, so the block it names is "10.0.0.0\/16"; write "10.0.0.0\/16"/],
    ['192.168.1.0/23', /has host bits set: .* write "192.168.0.0\/23"/],
    ['010.0.0.0/16', /has leading zeros, .*; write "10.0.0.0\/16"/],
    ['10.00.0.0/16', /has leading zeros, .*; write "10.0.0.0\/16"/],
    ['10.0.0.0/08', /has leading zeros, .*; write "10.0.0.0\/8"/],
  ])('%s is refused with the canonical form', (cidr, message) => {
    expect(checkIpv4Cidr('`c`', cidr)).toMatch(message);
  });

  test.each(['10.0.0.0/16', '0.0.0.0/0', '203.0.113.7/32', '100.64.0.0/10'])('%s is accepted', (cidr) => {
    expect(checkIpv4Cidr('`c`', cidr)).toBeUndefined();
  });
});

describe('spec escape hatches and quotas', () => {
  test('an override adds to the unlisted lists and replaces the raised quotas', () => {
    const { spec, problems } = resolveEksSpec(minimalSpecProps({ unlistedRegions: ['us-east-9'], serviceQuotas: { nodesPerManagedNodeGroup: 1000 } }), {
      unlistedRegions: ['us-east-8'], unlistedInstanceTypes: ['m99.large'], serviceQuotas: { managedNodeGroupsPerCluster: 40 },
    });
    expect(problems).toEqual([]);
    expect(spec.unlistedRegions).toEqual(['us-east-8', 'us-east-9']);
    expect(spec.unlistedInstanceTypes).toEqual(['m99.large']);
    expect(spec.serviceQuotas).toEqual({ managedNodeGroupsPerCluster: 40 });
  });

  test('a pool exactly at the default quota passes without a warning', () => {
    const { problems, warnings } = resolveEksSpec(minimalSpecProps({ nodePools: { general: { instanceType: 'm6i.large', maxSize: 450 } } }));
    expect([problems, warnings]).toEqual([[], []]);
  });

  test('a spec of 30 pools passes, and 31 pass once a raise is stated, with a warning', () => {
    const pools = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { instanceType: 'm6i.large' }]));
    expect(resolveEksSpec(minimalSpecProps({ nodePools: pools(30) })).problems).toEqual([]);
    const raised = resolveEksSpec(minimalSpecProps({ nodePools: pools(31), serviceQuotas: { managedNodeGroupsPerCluster: 35 } }));
    expect(raised.problems).toEqual([]);
    expect(raised.warnings).toEqual([expect.stringMatching(/^`nodePools` has 31 pools, past EKS's default quota of 30 .* raised to 35/)]);
  });
});

describe('EksAddon', () => {
  test('takes the pinned default for the Kubernetes version unless a version is given', () => {
    expect(EksAddon.kubeProxy().versionFor(KubernetesVersion.V1_34)).toBe(DEFAULT_ADDON_VERSIONS['kube-proxy']['1.34']);
    expect(EksAddon.kubeProxy().versionFor(KubernetesVersion.V1_35)).toBe('v1.35.3-eksbuild.21');
    expect(EksAddon.coreDns({ version: 'v1.12.1-eksbuild.2' }).versionFor(KubernetesVersion.V1_35)).toBe('v1.12.1-eksbuild.2');
  });

  test('has a default for each built-in add-on at every known version', () => {
    for (const addon of [EksAddon.vpcCni(), EksAddon.coreDns(), EksAddon.kubeProxy(), EksAddon.ebsCsiDriver()]) {
      for (const version of KNOWN_EKS_VERSIONS) {
        expect(addon.problems('`addons`', KubernetesVersion.of(version))).toEqual([]);
      }
    }
  });

  test('fails for a custom add-on without a version, with the command that lists them', () => {
    expect(EksAddon.custom('eks-pod-identity-agent').problems('`addons`', KubernetesVersion.V1_34)).toEqual([
      '`addons` "eks-pod-identity-agent" has no pinned default version for Kubernetes 1.34; set `version` '
      + '(`aws eks describe-addon-versions --addon-name eks-pod-identity-agent --kubernetes-version 1.34` lists them)',
    ]);
    expect(EksAddon.custom('eks-pod-identity-agent', { version: 'v1.3.4-eksbuild.1' }).problems('`addons`', KubernetesVersion.V1_34)).toEqual([]);
  });

  test('fails for a malformed version or role ARN', () => {
    const addon = EksAddon.vpcCni({ version: '1.19', serviceAccountRoleArn: 'my-role' });
    expect(addon.problems('`addons`', KubernetesVersion.V1_34)).toEqual([
      '`addons` "vpc-cni" has version "1.19", which is not an EKS add-on build (e.g. "v1.19.2-eksbuild.1")',
      '`addons` "vpc-cni" has serviceAccountRoleArn "my-role", which is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
    ]);
  });
});

describe('EksClusterSpec', () => {
  test('resolves node pool defaults', () => {
    // GIVEN a pool with only an instance type, and one with a desired size above its minimum
    const spec = new EksClusterSpec(testFleet(), 'Spec', minimalSpecProps({
      nodePools: { general: { instanceType: 'm6i.large' }, burst: { instanceType: 'c7i.large', minSize: 2, desiredSize: 5 } },
    }));
    // THEN min is 1, desired is min, max covers both; capacity is on-demand; pools are sorted by name
    expect(spec.resolved.nodePools.map((p) => [p.name, p.minSize, p.desiredSize, p.maxSize, p.capacityType])).toEqual([
      ['burst', 2, 5, 5, CapacityType.ON_DEMAND],
      ['general', 1, 1, 1, CapacityType.ON_DEMAND],
    ]);
    expect(spec.resolved.nodePools.every((p) => p.kubernetesVersion === KubernetesVersion.V1_34)).toBe(true);
  });

  test('keeps its own copy of the props', () => {
    const tags: Record<string, string> = { team: 'a' };
    const nodePools: Record<string, { instanceType: string; minSize: number }> = { general: { instanceType: 'm6i.large', minSize: 1 } };
    const spec = new EksClusterSpec(testFleet(), 'Spec', minimalSpecProps({ tags, nodePools }));
    tags.team = 'b';
    nodePools.general.minSize = 7;
    expect(spec.resolved.tags).toEqual({ team: 'a' });
    expect(spec.resolved.nodePools[0].minSize).toBe(1);
  });

  test('sorts add-ons and logs, whatever the order given', () => {
    const spec = new EksClusterSpec(testFleet(), 'Spec', minimalSpecProps({
      addons: [EksAddon.kubeProxy(), EksAddon.vpcCni(), EksAddon.coreDns({ conflictResolution: AddonConflictResolution.PRESERVE })],
    }));
    expect(spec.resolved.addons.map((a) => a.name)).toEqual(['coredns', 'kube-proxy', 'vpc-cni']);
  });

  test('reports every problem of a spec at once, naming the spec', () => {
    const build = () => new EksClusterSpec(testFleet(), 'BadSpec', minimalSpecProps({
      region: 'US East',
      nodePools: { general: { instanceType: 'large', minSize: 3, maxSize: 2 } },
    }));
    expect(build).toThrow(/^\[BadSpec\] 3 problems:/);
    expect(build).toThrow(/`region` "US East" is not an AWS region code/);
    expect(build).toThrow(/`nodePools.general.instanceType` "large" is not an EC2 instance type/);
    expect(build).toThrow(/`nodePools.general.minSize` \(3\) is greater than `maxSize` \(2\)/);
  });

  test('matches the snapshot of a full spec', () => {
    const spec = new EksClusterSpec(testFleet(), 'Spec', minimalSpecProps({
      nodePools: {
        gpu: {
          instanceType: 'g5.xlarge',
          minSize: 0,
          maxSize: 2,
          amiType: AmiType.AL2023_X86_64_NVIDIA,
          capacityType: CapacityType.SPOT,
          taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
          labels: { accelerator: 'nvidia' },
        },
      },
      addons: [EksAddon.vpcCni()],
      identity: AwsIdentity.role('team-a'),
      tags: { team: 'a' },
    }));
    expect(JSON.parse(JSON.stringify(spec.resolved))).toMatchSnapshot();
  });
});

describe('values helpers', () => {
  test('treat objects from structuredClone (another realm under Jest) as plain objects', () => {
    const { isPlainObject, mergeValues } = jest.requireActual('../src/_json');
    expect(isPlainObject(structuredClone({ a: 1 }))).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(new Map())).toBe(false);
    expect(isPlainObject([1])).toBe(false);
    expect(mergeValues(structuredClone({ a: { b: 1, c: [1] } }), { a: { c: [2], d: null } })).toEqual({ a: { b: 1, c: [2], d: null } });
  });
});
