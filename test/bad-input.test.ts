import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { buildExampleFleet } from '../example/fleet';
import {
  AmiType, Bundle, Bundles, Cluster, ClusterNaming, EksAddon, EksClusterSpec, ExternalCluster, Fleet, GitSourceType, KubernetesVersion, Profile,
  type RemovalPolicy, type ClusterProps, type EksClusterSpecProps, type EndpointAccessOptions, type FleetProps, type HelmBundleOptions,
  type NodePoolOptions, type ProfileProps, type UpgradePolicy,
} from '../src';
import { minimalSpecProps, TEST_MANAGEMENT, testFleet } from './support/fixtures';
import { copyOutput, readTree, tempDir } from './support/fleet-files';

/**
 * The output folder of the case being run: it holds a good synth of the example fleet before the case, and every
 * fleet a case builds writes here, so a case that wrote anything would show.
 */
let out: { dir: string; cleanup: () => void };
const newFleet = (props: Partial<FleetProps> = {}) => testFleet({ outdir: out.dir, ...props });
const modificationTimes = (dir: string) => new Map([...readTree(dir).keys()].map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));

/**
 * Before each test of the enclosing describe: a fresh output folder holding a good synth of the example fleet (a copy
 * of one synth made for the describe, with its render cache and rollout state). Returns the check that the folder is
 * still exactly as it was, bytes and modification times.
 */
function seedOutput(): () => void {
  let seed: { dir: string; cleanup: () => void };
  let before: Map<string, string>;
  let mtimes: Map<string, number>;
  beforeAll(() => {
    seed = tempDir();
    buildExampleFleet({ outdir: seed.dir }).writeFiles();
  });
  afterAll(() => seed.cleanup());
  beforeEach(() => {
    out = tempDir();
    copyOutput(seed.dir, out.dir);
    before = readTree(out.dir);
    mtimes = modificationTimes(out.dir);
  });
  afterEach(() => out.cleanup());
  return () => {
    expect(readTree(out.dir)).toEqual(before);
    expect(modificationTimes(out.dir)).toEqual(mtimes);
  };
}

/** Builds a spec with `overrides` in a fresh fleet. */
const spec = (overrides: Partial<EksClusterSpecProps>) => () => new EksClusterSpec(newFleet(), 'Spec', minimalSpecProps(overrides));

/** Builds a fleet with one good profile and one cluster with `props`. */
const cluster = (props: Partial<ClusterProps>, id = 'alpha') => () => {
  const fleet = newFleet();
  const profile = new Profile(fleet, 'base', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()) });
  return new Cluster(fleet, id, { profiles: [profile], ...props });
};

const fleet = (props: Partial<FleetProps>) => () => newFleet(props);

// Credentials in published formats, assembled here so that this file holds none.
const SLACK_WEBHOOK = ['https://hooks.', 'slack.com/services/', 'T00000000/B00000000/', 'X'.repeat(24)].join('');
const DISCORD_WEBHOOK = ['https://discord.com/api/', 'webhooks/', '123456789012345678/', 'abcdefghij'.repeat(4)].join('');
const DOCKER_CONFIG = JSON.stringify({ auths: { 'registry.example.com': { auth: Buffer.from('bot:s3cr3t-pass').toString('base64') } } });

const helmOptions: HelmBundleOptions = { repoUrl: 'https://charts.example.com', chart: 'app', version: '1.2.3', namespace: 'app' };

/** A profile carrying `bundles` in a fresh fleet. */
const profileWith = (...bundles: Bundle[]) => () => new Profile(newFleet(), 'dev', { bundles });

describe('bad input fails with the construct path, the value, what is allowed and the fix, and writes nothing', () => {
  const expectUntouched = seedOutput();

  test.each<[string, () => unknown, RegExp]>([
    ['cluster name not DNS-1123', cluster({}, 'Prod_1'),
      /^\[Prod_1\] cluster `name` "Prod_1" must be a DNS-1123 label \(lowercase letters, digits and '-', .* at most 63 characters\); try "prod-1"$/],
    // The name is not a DNS-1123 label, and with the fleet's name before it, not a namespace either.
    ['cluster name too long', cluster({ name: 'a'.repeat(64) }),
      /^\[alpha\] 2 problems:\n {2}- cluster `name` "a{64}" must be a DNS-1123 label .*at most 63 characters\); try "a{63}"\n {2}- cluster `name` "a{64}" gives the name "test--a{64}" \(70 characters\) to its namespace and Cluster API cluster, which Kubernetes limits to 63; shorten the cluster's name or the fleet's$/],
    // A cluster named kube-system gets namespace test--kube-system, unless it keeps its unscoped names.
    ['cluster name in a reserved namespace', cluster({ name: 'kube-system', naming: ClusterNaming.UNSCOPED }),
      /^\[alpha\] cluster `name` "kube-system" would put the cluster's objects into the reserved namespace "kube-system"; pick another name$/],
    ['fleet name that puts its clusters in reserved namespaces', () => {
      const f = newFleet({ name: 'kube' });
      new Cluster(f, 'alpha', { profiles: [new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps()) })] });
    }, /^\[alpha\] cluster `name` "alpha" \(namespace "kube--alpha"\) would put the cluster's objects into the reserved namespace "kube--alpha"; rename the fleet$/],
    ['cluster name too long for the IAM role CAPA names after it', () => {
      const iamFleet = newFleet({ management: { capaFeatureGates: { eksEnableIam: true } } });
      const base = new Profile(iamFleet, 'base', { spec: new EksClusterSpec(iamFleet, 'Spec', minimalSpecProps()) });
      return new Cluster(iamFleet, 'alpha', { profiles: [base], name: `platform-${'x'.repeat(33)}` });
    }, /^\[alpha\] the Cluster API cluster name "test--platform-x{33}" is 48 characters: with EKSEnableIAM .* CAPA names the control plane's IAM role "<name>-iam-service-role", and IAM refuses role names over 64 characters on every reconcile; shorten the cluster's name \(or the fleet's\) so that "test--<cluster>" has at most 47 characters$/],
    // Fleet-scoped namespaces hold "--", which no namespace of the management plane does.
    ['cluster name that is a namespace of the management plane', cluster({ name: 'capa-system', naming: ClusterNaming.UNSCOPED }),
      /^\[alpha\] cluster `name` "capa-system" is the namespace CAPA runs in on the management cluster: the cluster's objects would go there, and retiring the cluster would delete CAPA's namespace; pick another name$/],
    // Names joined with "--" outside the repository (README, "Names, identity and adoption").
    ['fleet name holding the separator of joined names', fleet({ name: 'ac--me' }),
      /^\[Fleet\] fleet `name` "ac--me" contains "--", which the library puts between the fleet's, the cluster's and the bundle's names .*; use single hyphens$/],
    ['cluster name holding the separator of joined names', cluster({ name: 'prod--1' }),
      /^\[alpha\] cluster `name` "prod--1" contains "--", which the library puts between .*; use single hyphens$/],
    ['cluster name whose fleet-scoped name is too long for a namespace', cluster({ name: 'c'.repeat(60) }),
      /^\[alpha\] cluster `name` "c{60}" gives the name "test--c{60}" \(66 characters\) to its namespace and Cluster API cluster, which Kubernetes limits to 63; shorten the cluster's name or the fleet's$/],
    ['cluster naming that does not exist', cluster({ naming: 'short' as ClusterNaming }),
      /^\[alpha\] `naming` "short" is not a cluster naming; use ClusterNaming.FLEET_SCOPED or ClusterNaming.UNSCOPED$/],
    ['EKS cluster to adopt that is no EKS name', cluster({ adoptEksCluster: 'prod.1' }),
      /^\[alpha\] `adoptEksCluster` "prod.1" is not an EKS cluster name \(1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit\); give the name the cluster has in the EKS console$/],
    ['two clusters adopting one EKS cluster', () => {
      const f = newFleet();
      const profile = new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps()) });
      new Cluster(f, 'alpha', { profiles: [profile], adoptEksCluster: 'legacy-prod' });
      new Cluster(f, 'beta', { profiles: [profile], adoptEksCluster: 'legacy-prod' });
    }, /^\[beta\] EKS cluster name "legacy-prod" is already used by "alpha"; every EKS cluster needs its own name, so pick another$/],
    ['profile name not DNS-1123', () => new Profile(newFleet(), 'Dev Profile'),
      /^\[Dev Profile\] profile `name` "Dev Profile" must be a DNS-1123 label .*; try "dev-profile"$/],
    ['node pool name not DNS-1123', spec({ nodePools: { General: { instanceType: 'm6i.large' } } }),
      /^\[Spec\] node pool name "General" must be a DNS-1123 label .*; try "general"$/],
    ['fleet name not DNS-1123', fleet({ name: 'ACME Fleet' }),
      /^\[Fleet\] `name` "ACME Fleet" must be a DNS-1123 label .*; try "acme-fleet"$/],
    ['malformed Kubernetes version', spec({ kubernetesVersion: KubernetesVersion.of('1.34.2') }),
      /^\[Spec\] `kubernetesVersion` "1.34.2" is malformed: EKS versions are "major.minor" without a "v" or a patch .*; try "1.34"$/],
    ['malformed Kubernetes version with a v', spec({ kubernetesVersion: KubernetesVersion.of('v1.33') }),
      /^\[Spec\] `kubernetesVersion` "v1.33" is malformed: .*; try "1.33"$/],
    ['unknown Kubernetes version', spec({ kubernetesVersion: KubernetesVersion.of('1.99') }),
      /^\[Spec\] `kubernetesVersion` "1.99" is not a Kubernetes version EKS offers \(known: 1.32, 1.33, 1.34, 1.35, 1.36\); pick one of those, or use KubernetesVersion.unlisted\("1.99"\)/],
    ['unknown Kubernetes version in an override', cluster({ overrides: { kubernetesVersion: KubernetesVersion.of('1.29') } }),
      /^\[alpha\] effective spec \(profile "base" with this cluster's overrides\): `kubernetesVersion` "1.29" is not a Kubernetes version EKS offers/],
    ['malformed region', spec({ region: 'us-east' }),
      /^\[Spec\] `region` "us-east" is not an AWS region code \(e.g. "us-east-1", "eu-west-1", .*\); use the code, not the display name; did you mean "us-east-1"\?$/],
    ['region display name in an override', cluster({ overrides: { region: 'Europe (Ireland)' } }),
      /^\[alpha\] effective spec .*: `region` "Europe \(Ireland\)" is not an AWS region code/],
    ['min > max node counts', spec({ nodePools: { general: { instanceType: 'm6i.large', minSize: 5, maxSize: 3 } } }),
      /^\[Spec\] `nodePools.general.minSize` \(5\) is greater than `maxSize` \(3\); the minimum must not exceed the maximum, so raise maxSize or lower minSize$/],
    ['min > max after an override', () => {
      const f = newFleet();
      const spec3 = new EksClusterSpec(f, 'Spec', minimalSpecProps({ nodePools: { general: { instanceType: 'm6i.large', minSize: 1, maxSize: 3 } } }));
      new Cluster(f, 'alpha', { profiles: [new Profile(f, 'base', { spec: spec3 })], overrides: { nodePools: { general: { minSize: 5 } } } });
    }, /^\[alpha\] effective spec \(profile "base" with this cluster's overrides\): `nodePools.general.minSize` \(5\) is greater than `maxSize` \(3\)/],
    ['desired size outside the range', spec({ nodePools: { general: { instanceType: 'm6i.large', minSize: 1, maxSize: 3, desiredSize: 9 } } }),
      /^\[Spec\] `nodePools.general.desiredSize` \(9\) is outside minSize..maxSize \(1..3\); pick a desired size within the range$/],
    ['negative node count', spec({ nodePools: { general: { instanceType: 'm6i.large', minSize: -1 } } }),
      /^\[Spec\] `nodePools.general.minSize` \(-1\) must be a whole number from 0 to 2147483647$/],
    ['duplicate cluster names', () => {
      const f = newFleet();
      const profile = new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps()) });
      new Cluster(f, 'first', { name: 'dup', profiles: [profile] });
      new Cluster(f, 'second', { name: 'dup', profiles: [profile] });
    }, /^\[second\] cluster name "dup" is already used by "first"; every cluster needs its own name, so pick another$/],
    // Fleet-scoped Application names hold "--", which the fleet's own Argo CD objects cannot.
    ['cluster named like the fleet', () => (cluster({ name: 'test', naming: ClusterNaming.UNSCOPED })().node.root as Fleet).synth(),
      /\[Fleet\] Argo CD Application "test" would be produced 2 times, by "Bootstrap\/RootApplication" and cluster "test"; rename one of the clusters or bundles/],
    ['too many shards', () => newFleet({ shards: 501 }),
      /^\[Fleet\] `shards` \(501\) must be a whole number from 1 to 500$/],
    ['cluster named like the management cluster', cluster({ name: 'in-cluster', naming: ClusterNaming.UNSCOPED }),
      /^\[alpha\] cluster name "in-cluster" gives the name Argo CD knows the management cluster by \(`managementClusterName`\), .*rename the cluster, or give the management cluster another name in Argo CD and set `managementClusterName` on the Fleet$/],
    ['external cluster named like a renamed management cluster', () => {
      const f = newFleet({ managementClusterName: 'mgmt' });
      new ExternalCluster(f, 'legacy', { name: 'mgmt', profiles: [new Profile(f, 'ops', {})] });
    }, /^\[legacy\] cluster name "mgmt" gives the name Argo CD knows the management cluster by/],
    ['two clusters with one id', () => {
      const f = newFleet();
      const profile = new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps()) });
      new Cluster(f, 'alpha', { profiles: [profile] });
      new Cluster(f, 'alpha', { name: 'beta', profiles: [profile] });
    }, /^\[alpha\] cluster id "alpha" is already taken: Fleet has a child with that id \(a Cluster\); ids must be unique among a construct's children, so give this cluster another id \(the name of a cluster defaults to its id: set `name` to keep it\)$/],
    ['a profile with the id of a cluster', () => {
      const f = newFleet();
      new Cluster(f, 'web', { profiles: [new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps()) })] });
      new Profile(f, 'web');
    }, /^\[web\] profile id "web" is already taken: Fleet has a child with that id \(a Cluster\); .*so give this profile another id/],
    ['two cluster specs with one id', () => {
      const f = newFleet();
      new EksClusterSpec(f, 'Spec', minimalSpecProps());
      new EksClusterSpec(f, 'Spec', minimalSpecProps());
    }, /^\[Spec\] cluster spec id "Spec" is already taken: Fleet has a child with that id \(an EksClusterSpec\); .*so give this cluster spec another id$/],
    ['an id the fleet uses itself', () => new Profile(newFleet(), 'Bootstrap'),
      /^\[Bootstrap\] profile id "Bootstrap" is already taken: Fleet has a child with that id \(one the library creates itself\); .*another id/],
    ['duplicate profile names', () => {
      const f = newFleet();
      new Profile(f, 'a', { name: 'dev' });
      new Profile(f, 'b', { name: 'dev' });
    }, /^\[b\] profile name "dev" is already used by "a"/],
    ['duplicate pool names', () => cluster({})().addNodePool('general', { instanceType: 'm6i.large' }),
      /^\[alpha\] node pool "general" already exists on this cluster \(pools: general\); pick another name, or change the existing pool with `overrides.nodePools`$/],
    ['override of a pool the profile does not define', cluster({ overrides: { nodePools: { genral: { minSize: 2 } } } }),
      /^\[alpha\] effective spec .*: `overrides.nodePools` changes pool "genral", which profile "base" does not define \(pools: general\); fix the name, or add a pool .* with `addNodePool`$/],
    ['cluster without a profile', cluster({ profiles: [] }),
      /^\[alpha\] has no profile; give `profiles` at least one profile with a cluster spec, e.g. `profiles: \[dev\]`$/],
    ['cluster whose profiles have no spec', () => {
      const f = newFleet();
      new Cluster(f, 'alpha', { profiles: [new Profile(f, 'addons-only')] });
    }, /^\[alpha\] none of its profiles \("addons-only"\) has a cluster spec; add a profile that has one$/],
    ['cluster with two spec profiles', () => {
      const f = newFleet();
      const a = new Profile(f, 'a', { spec: new EksClusterSpec(f, 'SpecA', minimalSpecProps()) });
      const b = new Profile(f, 'b', { spec: new EksClusterSpec(f, 'SpecB', minimalSpecProps()) });
      new Cluster(f, 'alpha', { profiles: [a, b] });
    }, /^\[alpha\] profiles "a", "b" each have a cluster spec, and a cluster is built from exactly one; keep one spec profile/],
    ['new VPC and existing VPC at once', spec({ network: { vpcCidr: '10.0.0.0/16', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] } }),
      /^\[Spec\] `network` sets both `vpcId` \("vpc-0123456789abcdef0", an existing VPC\) and `vpcCidr` \("10.0.0.0\/16", a new VPC\); keep `vpcId` and `subnetIds` .*, or `vpcCidr` to have CAPA create one$/],
    ['subnets without their VPC', spec({ network: { subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] } }),
      /^\[Spec\] `network.subnetIds` needs `network.vpcId`: existing subnets only make sense in an existing VPC; add the VPC ID, or drop the subnets/],
    ['existing VPC with one subnet', spec({ network: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0'] } }),
      /^\[Spec\] `network.vpcId` "vpc-0123456789abcdef0" needs `subnetIds` with at least two subnets in different availability zones \(an EKS requirement\); got 1$/],
    ['availability zones for an existing VPC', spec({ network: { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-01234567', 'subnet-89abcdef'], availabilityZoneCount: 3 } }),
      /^\[Spec\] `network.availabilityZoneCount` only applies to a new VPC, but `vpcId` names an existing one; drop `availabilityZoneCount` or `vpcId`$/],
    ['VPC CIDR too large', spec({ network: { vpcCidr: '10.0.0.0/8' } }),
      /^\[Spec\] `network.vpcCidr` "10.0.0.0\/8" must be an IPv4 CIDR block with a prefix length from \/16 to \/28, e.g. "10.0.0.0\/16"$/],
    ['API endpoint closed on both sides', spec({ endpointAccess: { public: false, private: false } }),
      /^\[Spec\] `endpointAccess` turns off both public and private access, which leaves the API unreachable; enable at least one$/],
    ['public CIDRs on a private-only endpoint', spec({ endpointAccess: { public: false, private: true, publicCidrs: ['203.0.113.0/24'] } }),
      /^\[Spec\] `endpointAccess.publicCidrs` restricts the public endpoint, but `public` is false; drop `publicCidrs` or set `public: true`$/],
    ['node pool newer than its control plane', spec({ nodePools: { general: { instanceType: 'm6i.large', kubernetesVersion: KubernetesVersion.V1_35 } } }),
      /^\[Spec\] `nodePools.general.kubernetesVersion` 1.35 is newer than the control plane's 1.34; node pools upgrade after the control plane, never before$/],
    ['invalid cluster label', cluster({ labels: { 'team name': 'a' } }),
      /^\[alpha\] `labels` key "team name" is not a valid Kubernetes label key/],
    ['the managed-by label the library sets', cluster({ labels: { 'app.kubernetes.io/managed-by': 'helm' } }),
      /^\[alpha\] `labels` key "app.kubernetes.io\/managed-by" is set by the library on every object \("cdk8s-arlon"\), so yours would be overwritten; pick another key$/],
    ['a Helm release name with a space', profileWith(Bundle.helm('app', { ...helmOptions, releaseName: 'my app' })),
      /^\[dev\] bundle "app" `releaseName` "my app" is not a Helm release name \(lowercase letters, digits, "-" and ".", at most 53 characters\)$/],
    ['a node pool size beyond int32', spec({ nodePools: { general: { instanceType: 'm6i.large', maxSize: 2 ** 31 } } }),
      /^\[Spec\] `nodePools.general.maxSize` \(2147483648\) must be a whole number from 1 to 2147483647$/],
    ['a VPC block too small for the subnets CAPA creates', spec({ network: { vpcCidr: '10.0.0.0/26' } }),
      /^\[Spec\] `network.vpcCidr` "10.0.0.0\/26" is too small for the subnets CAPA creates in 3 availability zones: .* the public ones \/30, smaller than AWS's smallest subnet \(\/28\); use a \/24 or larger block$/],
    ['a per-cluster VPC block too small for its zones', () => {
      const f = newFleet();
      const network = { vpcCidrForCluster: () => '10.0.0.0/26', availabilityZoneCount: 2 };
      const p = new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps({ network })) });
      new Cluster(f, 'alpha', { profiles: [p] });
    }, /^\[alpha\] `network.vpcCidrForCluster` result "10.0.0.0\/26" is too small for the subnets CAPA creates in 2 availability zones: .*\/29.*use a \/25 or larger block \(profile "base"\)$/],
    ['a bundle name too long for a Helm release name', profileWith(Bundle.helm('a'.repeat(60), helmOptions)),
      /bundle "a{60}": the bundle name is the Helm release name, and Helm allows at most 53 characters; set a shorter `releaseName`$/],
    ['a private range in publicCidrs', spec({ endpointAccess: { publicCidrs: ['203.0.113.0/24', '10.20.0.0/16'] } }),
      /^\[Spec\] `endpointAccess.publicCidrs` entry "10.20.0.0\/16" is in a private range \(RFC 1918\), whose clients never reach the public endpoint \(EKS refuses it\)/],
    ['a misspelt prop from JavaScript: the spec\'s region', spec({ regoin: 'us-east-1' } as Partial<EksClusterSpecProps>),
      /^\[Spec\] `regoin` is not a prop it takes; did you mean `region`\? \(it takes: kubernetesVersion, region, nodePools, /],
    ['a misspelt node pool prop', spec({ nodePools: { general: { instanceType: 'm6i.large', maxsize: 3 } as NodePoolOptions } }),
      /^\[Spec\] `nodePools.general.maxsize` is not a prop it takes; did you mean `maxSize`\?/],
    ['a misspelt override', cluster({ overrides: { endpointAccess: { publicCidr: ['10.0.0.0/8'] } as EndpointAccessOptions } }),
      /^\[alpha\] `overrides.endpointAccess.publicCidr` is not a prop it takes; did you mean `publicCidrs`\?/],
    ['a misspelt cluster prop', cluster({ bundleValue: {} } as Partial<ClusterProps>),
      /^\[alpha\] `bundleValue` is not a prop it takes; did you mean `bundleValues`\?/],
    ['a misspelt bundle prop', profileWith(Bundle.helm('app', { ...helmOptions, valuez: { a: 1 } } as HelmBundleOptions)),
      /^\[dev\] bundle "app" `valuez` is not a prop it takes; did you mean `values`\?/],
    ['a misspelt fleet prop', fleet({ shard: 4 } as Partial<FleetProps>),
      /^\[Fleet\] `shard` is not a prop it takes; did you mean `shards`\?/],
    ['a prop nothing resembles', () => new Profile(newFleet(), 'p', { colour: 'blue' } as ProfileProps),
      /^\[p\] `colour` is not a prop it takes \(it takes: name, spec, bundles, description, rollout\)$/],
    ['reserved cluster label', cluster({ labels: { 'arlon.io/cluster': 'x' } }),
      /^\[alpha\] `labels` key "arlon.io\/cluster" uses a prefix the library owns .*; pick another key$/],
    ['credentials in the repository URL', fleet({ repoUrl: 'https://bot:ghp_secret@github.com/acme/fleet.git' }),
      /^\[Fleet\] `repoUrl` carries credentials \(a URL with a password\); dist\/ is committed, so give the bare URL and register credentials in Argo CD \(`arlonctl deploy --repo-username ...`\)$/],
    ['a password in an SSH repository URL', fleet({ repoUrl: 'ssh://bot:hunter2@git.example.com/acme/fleet.git' }),
      /^\[Fleet\] `repoUrl` carries credentials \(a URL with a password\)/],
    ['a token in the query of a chart repository URL', profileWith(Bundle.helm('app', { ...helmOptions, repoUrl: 'https://charts.example.com/index?token=abcdef123456' })),
      /^\[dev\] 2 problems:\n {2}- bundle "app" `repoUrl` carries credentials \(a URL with a credential in its query\)[^]*holds "\?", which Argo CD reads as a glob/],
    ['repository path outside the repository', fleet({ path: '../dist' }),
      /^\[Fleet\] `path` "..\/dist" must be relative to the repository root and stay inside it \(e.g. "dist"\)$/],
    ['Helm chart version range', profileWith(Bundle.helm('app', { ...helmOptions, version: '^1.2.0' })),
      /^\[dev\] bundle "app" `version` "\^1.2.0" is not one exact chart version; pin it \(e.g. "1.2.3"\) so that every upgrade is a reviewed commit$/],
    ['Helm chart version "latest"', profileWith(Bundle.helm('app', { ...helmOptions, version: 'latest' })),
      /bundle "app" `version` "latest" is not one exact chart version/],
    ['Helm repository that is not a URL', profileWith(Bundle.helm('app', { ...helmOptions, repoUrl: 'charts.example.com' })),
      /^\[dev\] bundle "app" `repoUrl` "charts.example.com" is not a Helm repository URL \(https:\/\/host\/path\) or OCI registry path \(oci:\/\/registry\/path\)$/],
    ['credentials in a Helm repository URL', profileWith(Bundle.helm('app', { ...helmOptions, repoUrl: 'https://user:pw@charts.example.com' })),
      /bundle "app" `repoUrl` carries credentials \(a URL with a password\); dist\/ is committed, so give the bare URL and register credentials in Argo CD/],
    ['git bundle following HEAD', profileWith(Bundle.git('addons', { repoUrl: 'https://github.com/acme/a.git', revision: 'HEAD', path: '.', namespace: 'a' })),
      /^\[dev\] bundle "addons" `revision` "HEAD" does not pin the content: it may be a branch \(or HEAD\), which moves without review; use a commit SHA, a version tag \(e.g. "v1.2.3"\) or "refs\/tags\/<tag>", or set `trackBranch: true` to follow a branch on purpose$/],
    ...['main', 'refs/heads/main', 'head', 'release-candidate'].map((revision) => [
      `git bundle following the branch "${revision}"`,
      profileWith(Bundle.git('addons', { repoUrl: 'https://github.com/acme/a.git', revision, path: '.', namespace: 'a' })),
      new RegExp(`^\\[dev\\] bundle "addons" \`revision\` "${revision}" does not pin the content: it may be a branch`),
    ] as [string, () => unknown, RegExp]),
    ['git revision with a space', profileWith(Bundle.git('addons', { repoUrl: 'https://github.com/acme/a.git', revision: ' HEAD', path: '.', namespace: 'a' })),
      /^\[dev\] bundle "addons" `revision` " HEAD" is not a git revision; use a commit SHA or a tag \(e.g. "v1.2.3"\)$/],
    ...['1.2', '1', '1.2.3.4', '01.2.3'].map((version) => [
      `Helm chart version "${version}"`,
      profileWith(Bundle.helm('app', { ...helmOptions, version })),
      new RegExp(`^\\[dev\\] bundle "app" \`version\` "${version.replace(/\./g, '\\.')}" is not one exact chart version; pin it`),
    ] as [string, () => unknown, RegExp]),
    ['git bundle path outside the repository', profileWith(Bundle.git('addons', { repoUrl: 'https://github.com/acme/a.git', revision: 'v1', path: '../x', namespace: 'a' })),
      /bundle "addons" `path` "..\/x" must be a path inside the repository/],
    ['Helm values on a kustomize bundle', profileWith(Bundle.git('addons', {
      repoUrl: 'https://github.com/acme/a.git', revision: 'v1', path: 'k', type: GitSourceType.KUSTOMIZE, namespace: 'a', values: { x: 1 },
    })), /bundle "addons" sets Helm values but its `type` is kustomize; values need `type: GitSourceType.HELM`/],
    ['bundle name not DNS-1123', profileWith(Bundle.helm('My App', helmOptions)), /^\[dev\] bundle name "My App" must be a DNS-1123 label .*; try "my-app"$/],
    ['bundle namespace not DNS-1123', profileWith(Bundle.helm('app', { ...helmOptions, namespace: 'Apps' })),
      /bundle "app" `namespace` "Apps" must be a DNS-1123 label/],
    ['unknown removal policy', profileWith(Bundle.helm('app', { ...helmOptions, removalPolicy: 'delete' as RemovalPolicy })),
      /bundle "app" `removalPolicy` "delete" is not one of RemovalPolicy.RETAIN, RemovalPolicy.DESTROY/],
    ['malformed sync option', profileWith(Bundle.helm('app', { ...helmOptions, syncOptions: ['prune'] })),
      /bundle "app" `syncOptions` entry "prune" is not an Argo CD sync option \(Name=value, e.g. "ServerSideApply=true"\)/],
    ['the same bundle twice in a profile', profileWith(Bundle.helm('app', helmOptions), Bundle.helm('app', helmOptions)),
      /^\[dev\] `bundles` lists bundle "app" more than once; list each bundle once$/],
    ['two definitions of one bundle name', () => {
      const f = newFleet();
      new Profile(f, 'dev', { bundles: [Bundle.helm('app', helmOptions)] });
      new Profile(f, 'prod', { bundles: [Bundle.helm('app', { ...helmOptions, version: '2.0.0' })] });
    }, /^\[prod\] bundle "app" is defined differently here and by "dev" \(version: "2.0.0" here, "1.2.3" there\); a bundle name stands for one definition in the fleet, so share one Bundle object or give one of them another name$/],
    ['two inline bundles of one name', () => {
      const f = newFleet();
      new Profile(f, 'dev', { bundles: [Bundle.inline('rbac', { namespace: 'a', define: () => undefined })] });
      new Profile(f, 'prod', { bundles: [Bundle.inline('rbac', { namespace: 'a', define: () => undefined })] });
    }, /^\[prod\] bundle "rbac" is defined differently here and by "dev" \(a bundle that holds code, such as an inline bundle or per-cluster values, is only equal to itself\)/],
    ['excluding a bundle no profile installs', cluster({ excludeBundles: ['wordpres'] }),
      /^\[alpha\] `excludeBundles` names "wordpres", which none of its profiles installs \(bundles: none\); fix the name or drop it$/],
    ['values for a bundle the cluster does not install', cluster({ bundleValues: { wordpress: { a: 1 } } }),
      /^\[alpha\] `bundleValues` sets values for bundle "wordpress", which this cluster does not install \(bundles: none\); fix the name$/],
    ['values for a bundle without Helm values', cluster({
      bundles: [Bundle.git('k', { repoUrl: 'https://github.com/acme/k.git', revision: 'v1', path: '.', namespace: 'k' })], bundleValues: { k: { a: 1 } },
    }), /^\[alpha\] `bundleValues` sets values for bundle "k", which is a git bundle without Helm values; only Helm charts take values$/],
    ['an EKS-only bundle on an external cluster', () => {
      const f = newFleet();
      new ExternalCluster(f, 'legacy', { profiles: [new Profile(f, 'ops', { bundles: [Bundles.clusterAutoscaler()] })] });
    }, /^\[legacy\] bundle "cluster-autoscaler" needs a cluster created from an EKS spec, and "legacy" is an external cluster/],
    ['an external cluster without a profile', () => new ExternalCluster(newFleet(), 'legacy', { profiles: [] }),
      /^\[legacy\] has no profile; give `profiles` the profiles whose bundles it should install$/],
    ['secret-looking Helm values', profileWith(Bundle.helm('app', { ...helmOptions, values: { auth: { adminPassword: 'hunter2' } } })),
      /^\[dev\] bundle "app" `values` set auth.adminPassword \(its key names a password\) to a literal value that looks secret; dist\/ is committed to git, so secrets never go there: .* or set `allowSecrets: true` on the bundle if the value is not a secret$/],
    ['secret-looking values for one cluster', cluster({
      bundles: [Bundle.helm('app', helmOptions)], bundleValues: { app: { github: { token: 'ghp_abc' } } },
    }), /^\[alpha\] values of bundle "app" for this cluster set github.token \(its key names a token\) to a literal value that looks secret/],
    ['a password under an abbreviated key', profileWith(Bundle.helm('app', { ...helmOptions, values: { db: { pwd: 'hunter2' } } })),
      /^\[dev\] bundle "app" `values` set db.pwd \(its key names a password\) to a literal value that looks secret; dist\/ is committed to git/],
    ['secret keys spelt with spaces, dashes and capitals', profileWith(Bundle.helm('app', { ...helmOptions, values: { 'Pass Word': 'a1', 'api-key': 'a2', 'API_KEY': 'a3' } })),
      /^\[dev\] bundle "app" `values` set "Pass Word" \(its key names a password\), api-key \(its key names an API key\), API_KEY \(its key names an API key\) to/],
    ['a number under a secret-looking key', profileWith(Bundle.helm('app', { ...helmOptions, values: { smtp: { password: 123456 } } })),
      /^\[dev\] bundle "app" `values` set smtp.password \(its key names a password \(a number is still a literal secret\)\) to a literal value/],
    ['a webhook URL whose path is its token', profileWith(Bundle.helm('app', { ...helmOptions, values: { alerts: { url: SLACK_WEBHOOK } } })),
      /^\[dev\] bundle "app" `values` set alerts.url \(it looks like a Slack webhook URL\) to a literal value that looks secret/],
    ['a registry auth blob in an inline ConfigMap', cluster({
      bundles: [Bundle.inline('pull', { namespace: 'a', define: (scope) => new kplus.ConfigMap(scope, 'C', { metadata: { name: 'c' }, data: { config: DOCKER_CONFIG } }) })],
    }), /\[InlineBundles\/pull\] ConfigMap "c" of inline bundle "pull" set data.config\(json\).auths\["registry.example.com"\].auth \(it looks like a registry auth/],
    ['a token in an EKS add-on\'s configuration', cluster({ overrides: { addons: [EksAddon.vpcCni({ configuration: { env: { API_TOKEN: 'abc123' } } })] } }),
      /^\[alpha\/Capi\/ControlPlane\] clusters\/alpha\/AWSManagedControlPlane\.[a-z-]+\.yaml would hold what looks like a secret at spec.addons\[0\].configuration\(json\).env.API_TOKEN \(its key names a token\); .*ExternalSecret.*`arlonctl deploy --repo-username/],
    ['a secret in an AWS tag', cluster({ overrides: { tags: { 'db-password': 'hunter2' } } }),
      /\[alpha\/Capi\/ControlPlane\] clusters\/alpha\/AWSManagedControlPlane\.[a-z-]+\.yaml would hold what looks like a secret at spec.additionalTags.db-password \(its key names a password\)/],
    ['a token in a bundle description', profileWith(Bundle.helm('app', { ...helmOptions, description: `pages ${SLACK_WEBHOOK}` })),
      /^\[dev\] bundle "app" `description` looks secret \(it looks like it holds a Slack webhook URL\); .* or set `allowSecrets: true` on the bundle if it is not a secret$/],
    ['a secret set by a JSON patch', () => {
      const c = cluster({})();
      c.controlPlane.addJsonPatch(JsonPatch.add('/spec/additionalTags', { ciToken: 'abc123' }));
      return c;
    }, /^\[alpha\/Capi\/ControlPlane\] clusters\/alpha\/AWSManagedControlPlane\.[a-z-]+\.yaml would hold what looks like a secret at spec.additionalTags.ciToken \(its key names a token\); .*if it is not a secret, rename the key/],
    ['a webhook URL in an annotation', () => {
      const c = cluster({})();
      c.capiCluster.metadata.addAnnotation('example.com/alerts', DISCORD_WEBHOOK);
      return c;
    }, /^\[alpha\/Capi\/Cluster\] clusters\/alpha\/Cluster\.[a-z-]+\.yaml would hold what looks like a secret at metadata.annotations\["example.com\/alerts"\] \(it looks like a Discord webhook URL\)/],
    ['a token in a label value of a cluster', cluster({ labels: { 'api-token': 'abc123' } }),
      /\[alpha\/Capi\/[A-Za-z]+\] clusters\/alpha\/[A-Za-z]+\.[a-z-]+\.yaml would hold what looks like a secret at metadata.labels.api-token \(its key names a token\)/],
    ['a Secret with data in an inline bundle', cluster({
      bundles: [Bundle.inline('creds', { namespace: 'a', define: (scope) => new kplus.Secret(scope, 'S', { metadata: { name: 's' }, stringData: { k: 'v' } }) })],
    }), /\[InlineBundles\/creds\] Secret "s" of inline bundle "creds" carries stringData; dist\/ is committed to git, so secrets never go there/],
    ['an inline bundle whose define is asynchronous', cluster({
      bundles: [Bundle.inline('late', {
        namespace: 'a',
        define: async (scope) => {
          await Promise.resolve();
          new kplus.ConfigMap(scope, 'C', { metadata: { name: 'late' } });
        },
      })],
    }), /^\[InlineBundles\/late\] inline bundle "late": its `define` is asynchronous \(it returned a promise\), and the synth does not wait for it/],
    ['a fleet revision with whitespace', fleet({ targetRevision: 'main ' }),
      /`targetRevision` "main " holds whitespace, which no git branch, tag or commit has; remove it \(e.g. "main"\)$/],
    ['an inline object whose name climbs out of dist/', cluster({
      bundles: [Bundle.inline('evil', { namespace: 'a', define: (scope) => new kplus.ConfigMap(scope, 'C', { metadata: { name: '../../../../x' } }) })],
    }), /\[InlineBundles\/evil\] ConfigMap "..\/..\/..\/..\/x" of inline bundle "evil": the name is not a valid Kubernetes object name \(a DNS-1123 subdomain/],
    ['an inline RBAC object named to replace the root Application', cluster({
      bundles: [Bundle.inline('evil', {
        namespace: 'a', define: (scope) => new kplus.k8s.KubeClusterRole(scope, 'R', { metadata: { name: '../../fleet/Application.test' } }),
      })],
    }), /\[InlineBundles\/evil\] ClusterRole "..\/..\/fleet\/Application.test" of inline bundle "evil": the name is not a valid Kubernetes object name \(no "\/", "%" or spaces/],
    ['an inline object in a namespace that is not a DNS label', cluster({
      bundles: [Bundle.inline('evil', { namespace: 'a', define: (scope) => new kplus.ConfigMap(scope, 'C', { metadata: { name: 'c', namespace: '../kube-system' } }) })],
    }), /ConfigMap "c" of inline bundle "evil": namespace "..\/kube-system" must be a DNS-1123 label/],
    ['an object added through an escape hatch with a name that climbs out of its folder', () => {
      const f = buildExampleFleet({ outdir: out.dir });
      new ApiObject(f.argocd.shardFor('dev-use1').chart, 'Evil', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '../../../fleet/x' } });
      f.synth();
    }, /^\[.*\/Evil\] its file in dist\/, "argocd\/shards\/\d+\/ConfigMap\.\.\.\/\.\.\/\.\.\/fleet\/x\.yaml", has an empty, "\." or "\.\." segment, so it could land outside its folder; object names become file names/],
    ['an inline bundle whose code throws', cluster({
      bundles: [Bundle.inline('broken', { namespace: 'a', define: () => { throw new TypeError('cannot read properties of undefined'); } })],
    }), /^\[InlineBundles\/broken\] inline bundle "broken": its `define` threw TypeError: cannot read properties of undefined; fix the construct code it runs$/],
    ['Helm values that refer to themselves', () => {
      const values: Record<string, unknown> = { a: 1 };
      values.self = { again: values };
      return profileWith(Bundle.helm('app', { ...helmOptions, values }))();
    }, /^\[dev\] bundle "app" `values`: self.again refers back to an object that contains it \(a cycle\)$/],
    ['Helm values holding a function', profileWith(Bundle.helm('app', { ...helmOptions, values: { hook: () => 1 } })),
      /^\[dev\] bundle "app" `values`: hook is a function, not data$/],
    ['a value that is not a finite number', profileWith(Bundle.helm('app', { ...helmOptions, values: { replicas: Number.NaN } })),
      /^\[dev\] bundle "app" `values`: replicas is NaN, which YAML and JSON cannot carry as a number$/],
    ['a YAML merge key in values', profileWith(Bundle.helm('app', { ...helmOptions, values: { '<<': { a: 1 } } })),
      /^\[dev\] bundle "app" `values`: << uses the key "<<", which YAML 1.1 readers take as a merge of another map$/],
    ['computed values that are not data', cluster({
      bundles: [Bundle.helm('app', { ...helmOptions, valuesForCluster: () => ({ since: new Date(0) }) })],
    }), /^\[alpha\] bundle "app", the values it computes \(`valuesForCluster`\) for this cluster: since is a Date, not plain data/],
    // Only unscoped names can collide: fleet-scoped ones put "--", which no name holds, between cluster and bundle.
    ['generated Application names that collide', () => {
      const f = newFleet({ clusterNaming: ClusterNaming.UNSCOPED });
      const bundles = [Bundle.helm('b-c', { ...helmOptions, namespace: 'x' }), Bundle.helm('c', { ...helmOptions, namespace: 'y' })];
      const p = new Profile(f, 'p', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps()), bundles });
      new Cluster(f, 'a', { profiles: [p], excludeBundles: ['c'] });
      new Cluster(f, 'a-b', { profiles: [p], excludeBundles: ['b-c'] });
      f.synth();
    }, /\n {2}\[[^\]]+\] Argo CD Application "a-b-c" would be produced 2 times, by bundle "b-c" on cluster "a" and bundle "c" on cluster "a-b"; rename one of the clusters or bundles/],
    ['Amazon Linux 2 on Kubernetes 1.33', spec({ kubernetesVersion: KubernetesVersion.V1_33, nodePools: { general: { instanceType: 'm6i.large', amiType: AmiType.AL2_X86_64 } } }),
      /^\[Spec\] `nodePools.general.amiType` AL2_x86_64 is Amazon Linux 2, which EKS does not offer for Kubernetes 1.33 \(the last is 1.32\); a node group keeps its AMI type for life, so add a pool/],
    ['an x86 AMI on Graviton instances', spec({ nodePools: { general: { instanceType: 'm7g.large', amiType: AmiType.AL2023_X86_64_STANDARD } } }),
      /^\[Spec\] `nodePools.general.amiType` AL2023_x86_64_STANDARD boots x86_64, but m7g.large is arm64; EKS refuses the node group, so use AL2023_ARM_64_STANDARD \(or leave `amiType` out to get it\)$/],
    ['an AMI release version that is not one', spec({ nodePools: { general: { instanceType: 'm6i.large', amiReleaseVersion: 'v20251103' } } }),
      /^\[Spec\] `nodePools.general.amiReleaseVersion` "v20251103" is not an Amazon Linux AMI release version: EKS names them "<Kubernetes version>-<release date>", e.g. "1.34.1-20251103" \(aws ssm get-parameter --name \/aws\/service\/eks\/optimized-ami\/1.34\/amazon-linux-2023\//],
    ['an AMI release of another Kubernetes minor than the pool', spec({ nodePools: { general: { instanceType: 'm6i.large', amiReleaseVersion: '1.33.5-20251103' } } }),
      /^\[Spec\] `nodePools.general.amiReleaseVersion` "1.33.5-20251103" is a release for Kubernetes 1.33, but the pool runs 1.34; EKS only gives a node group releases of its own Kubernetes version, so pin a 1.34 release \(e.g. "1.34.1-20251103"\) or leave it out; when the pool's version changes, change its release with it$/],
    ['a cluster upgraded by an override, its pool\'s pinned AMI release left behind', () => {
      const f = newFleet();
      const p = new Profile(f, 'base', {
        spec: new EksClusterSpec(f, 'Spec', minimalSpecProps({ nodePools: { general: { instanceType: 'm6i.large', amiReleaseVersion: '1.34.1-20251103' } } })),
      });
      new Cluster(f, 'alpha', { profiles: [p], overrides: { kubernetesVersion: KubernetesVersion.V1_35 } });
      f.synth();
    }, /^\[alpha\] effective spec \(profile "base" with this cluster's overrides\): `nodePools.general.amiReleaseVersion` "1.34.1-20251103" is a release for Kubernetes 1.34, but the pool runs 1.35; .* pin a 1.35 release/],
    ['an AMI release for an AMI type whose releases are not modelled (Windows)',
      spec({ nodePools: { general: { instanceType: 'm6i.large', amiType: AmiType.WINDOWS_CORE_2022_X86_64, amiReleaseVersion: '1.34-2025.11.12' } } }),
      /^\[Spec\] `nodePools.general.amiReleaseVersion` is set, but the library does not model the AMI releases of WINDOWS_CORE_2022_x86_64; leave it out/],
    ['a new VPC in one availability zone', spec({ network: { vpcCidr: '10.0.0.0/16', availabilityZoneCount: 1 } }),
      /^\[Spec\] `network.availabilityZoneCount` \(EKS needs subnets in at least two zones\) \(1\) must be a whole number from 2 to 6$/],
    ['a kube-proxy build of another minor', spec({ addons: [EksAddon.kubeProxy({ version: 'v1.33.10-eksbuild.21' })] }),
      /^\[Spec\] `addons` "kube-proxy" has version "v1.33.10-eksbuild.21", a build for Kubernetes 1.33; EKS publishes kube-proxy builds per Kubernetes minor, so a cluster at 1.34 needs a v1.34.x build/],
    ['an upgrade policy that is not one', spec({ upgradePolicy: 'forever' as UpgradePolicy }),
      /^\[Spec\] `upgradePolicy` "forever" must be UpgradePolicy.STANDARD or UpgradePolicy.EXTENDED$/],
    ['an IRSA add-on without CAPA\'s EKSEnableIAM gate', cluster({ overrides: { addons: [EksAddon.ebsCsiDriver({ serviceAccountRoleArn: 'arn:aws:iam::111122223333:role/ebs' })] } }),
      /^\[alpha\] add-on aws-ebs-csi-driver \(serviceAccountRoleArn\) \(profile "base"\) needs an IAM OIDC provider .*EKSEnableIAM feature gate, off by default; .*CAPA_EKS_IAM=true/],
    ['a public endpoint that shuts out the management cluster', cluster({ overrides: { endpointAccess: { publicCidrs: ['198.51.100.0/24'] } } }),
      /^\[alpha\] `endpointAccess.publicCidrs` \(198.51.100.0\/24\) shuts out the management cluster's egress 203.0.113.16\/28: CAPA, Cluster API and Argo CD could not reach the cluster's API; add those blocks to `publicCidrs` \(profile "base"\)$/],
    ['a restricted public endpoint while the fleet states no egress', () => {
      const f = newFleet({ management: { argoCdRoleArn: 'arn:aws:iam::111122223333:role/argocd' } });
      const p = new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps({ endpointAccess: { publicCidrs: ['203.0.113.0/24'] } })) });
      new Cluster(f, 'alpha', { profiles: [p] });
    }, /^\[alpha\] `endpointAccess.publicCidrs` \(203.0.113.0\/24\) restricts the public endpoint, and the Fleet does not say where the management cluster comes from; state `management.egressCidrs`/],
    ['a private-only endpoint the management cluster cannot reach', cluster({ overrides: { endpointAccess: { public: false, private: true } } }),
      /^\[alpha\] `endpointAccess` makes the API private only, so the management cluster \(CAPA, Cluster API, Argo CD\) cannot reach it over the internet; .*`management.reachesPrivateEndpoints: true`/],
    ['bundles while the fleet names no role for Argo CD', () => {
      const f = newFleet({ management: {} });
      const p = new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps()), bundles: [Bundles.metricsServer()] });
      new Cluster(f, 'alpha', { profiles: [p] });
    }, /^\[alpha\] has bundles \(metrics-server\), which Argo CD installs through the cluster's API, but the Fleet names no IAM role for Argo CD .*`management: \{ argoCdRoleArn: /],
    ['private egress addresses and a role that is not an ARN', fleet({ management: { egressCidrs: ['10.0.0.0/16'], argoCdRoleArn: 'argocd' } }),
      /^\[Fleet\] 2 problems:\n  - `management.egressCidrs` entry "10.0.0.0\/16" is a private range; .*\n  - `management` role "argocd" is not an IAM role ARN/],
    ['a VPC block per cluster that is not a CIDR', () => {
      const f = newFleet();
      const p = new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps({ network: { vpcCidrForCluster: () => '10.0.0.0/8' } })) });
      new Cluster(f, 'alpha', { profiles: [p] });
    }, /^\[alpha\] `network.vpcCidrForCluster` result "10.0.0.0\/8" must be an IPv4 CIDR block with a prefix length from \/16 to \/28, e.g. "10.0.0.0\/16" \(profile "base"\)$/],
    ['a VPC block per cluster beside a fixed one', spec({ network: { vpcCidr: '10.0.0.0/16', vpcCidrForCluster: () => '10.1.0.0/16' } }),
      /^\[Spec\] `network.vpcCidrForCluster` computes each cluster's VPC block, so it excludes `vpcCidr` and `vpcId`; keep one of them$/],
    // Values that are well-formed but do not exist or mean something else (issue 24, item 6)
    ['an EC2 instance type with a typo', spec({ nodePools: { general: { instanceType: 'm5.larg' } } }),
      /^\[Spec\] `nodePools.general.instanceType` "m5.larg" is not an EC2 instance type; did you mean "m5.large"\? \(the library's catalogue: @aws-sdk\/client-ec2 [^)]*\)\)\. If EC2 launched it after this release of the library, list it in `unlistedInstanceTypes: \["m5.larg"\]` to accept it with a warning$/],
    ['an EC2 instance type that does not exist, in an override', cluster({ overrides: { nodePools: { general: { instanceType: 'm6i.lage' } } } }),
      /^\[alpha\] effective spec \(profile "base" with this cluster's overrides\): `nodePools.general.instanceType` "m6i.lage" is not an EC2 instance type; did you mean "m6i.large"\?/],
    ['an instance type added by a cluster of its own', () => cluster({})().addNodePool('gpu', { instanceType: 'p9.48xlarge' }),
      /^\[alpha\] `nodePools.gpu.instanceType` "p9.48xlarge" is not an EC2 instance type.* list it in `unlistedInstanceTypes: \["p9.48xlarge"\]`/],
    ['an AWS region that does not exist', spec({ region: 'eu-west-9' }),
      /^\[Spec\] `region` "eu-west-9" is not an AWS region; did you mean "eu-west-1"\? \(the library's catalogue: @aws-sdk\/core [^)]*\)\)\. If AWS opened it after this release of the library, list it in `unlistedRegions: \["eu-west-9"\]` to accept it with a warning$/],
    ['a region with swapped letters', spec({ region: 'us-esat-1' }),
      /^\[Spec\] `region` "us-esat-1" is not an AWS region code \(e.g. .*\); use the code, not the display name; did you mean "us-east-1"\?$/],
    ['a retired Kubernetes version through the escape hatch', spec({ kubernetesVersion: KubernetesVersion.unlisted('1.30') }),
      /^\[Spec\] `kubernetesVersion` "1.30" is not a Kubernetes version EKS offers \(known: 1.32, .*\): it is retired, past the end of EKS extended support \(the oldest EKS runs is 1.32; EKS Kubernetes version calendar\).*; use 1.32 or later \(`KubernetesVersion.unlisted` is for versions newer than this library, not older\)$/],
    ['a retired Kubernetes version for a node pool', spec({ nodePools: { general: { instanceType: 'm6i.large', kubernetesVersion: KubernetesVersion.unlisted('1.31') } } }),
      /^\[Spec\] `nodePools.general.kubernetesVersion` "1.31" is not a Kubernetes version EKS offers .*: it is retired/],
    ['a node pool past the quota of nodes per node group', spec({ nodePools: { general: { instanceType: 'm6i.large', maxSize: 451 } } }),
      /^\[Spec\] `nodePools.general.maxSize` \(451\) is past EKS's default quota of 450 nodes per managed node group, so the node group cannot scale that far; split the pool in two, or have the quota raised .* state it with `serviceQuotas: \{ nodesPerManagedNodeGroup: 451 \}`$/],
    ['a node pool past a raised quota', spec({ nodePools: { general: { instanceType: 'm6i.large', maxSize: 1200 } }, serviceQuotas: { nodesPerManagedNodeGroup: 1000 } }),
      /^\[Spec\] `nodePools.general.maxSize` \(1200\) is past the quota of 1000 nodes per managed node group that `serviceQuotas.nodesPerManagedNodeGroup` states; lower maxSize/],
    ['more node pools than managed node groups per cluster', spec({ nodePools: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`p${i}`, { instanceType: 'm6i.large' }])) }),
      /^\[Spec\] `nodePools` has 31 pools, each an EKS managed node group, past the quota of 30 managed node groups per cluster \(the EKS default\); merge pools, or have the quota raised .* `serviceQuotas: \{ managedNodeGroupsPerCluster: 31 \}`$/],
    ['a raised quota below the default', spec({ serviceQuotas: { managedNodeGroupsPerCluster: 10 } }),
      /^\[Spec\] `serviceQuotas.managedNodeGroupsPerCluster` \(10\) must be a whole number at least 30$/],
    ['more public endpoint blocks than EKS allows', spec({ endpointAccess: { publicCidrs: Array.from({ length: 41 }, (_, i) => `198.51.${i}.0/24`) } }),
      /^\[Spec\] `endpointAccess.publicCidrs` has 41 blocks; EKS allows at most 40 public endpoint CIDR ranges per cluster \(a quota that cannot be raised\), so merge blocks/],
    ['a VPC block with host bits', spec({ network: { vpcCidr: '10.0.0.1/16' } }),
      /^\[Spec\] `network.vpcCidr` "10.0.0.1\/16" has host bits set: a \/16 block starts at 10.0.0.0, so the block it names is "10.0.0.0\/16"; write "10.0.0.0\/16" \(or give the prefix length you meant\)$/],
    ['a VPC block with leading zeros', spec({ network: { vpcCidr: '010.0.0.0/16' } }),
      /^\[Spec\] `network.vpcCidr` "010.0.0.0\/16" has leading zeros, which some tools read as octal \(010 is 8\) and others as decimal; write "10.0.0.0\/16"$/],
    ['a public endpoint block with host bits', spec({ endpointAccess: { publicCidrs: ['203.0.113.7/24'] } }),
      /^\[Spec\] `endpointAccess.publicCidrs` entry "203.0.113.7\/24" has host bits set: .* write "203.0.113.0\/24"/],
    ['a per-cluster VPC block with host bits', () => {
      const f = newFleet();
      const p = new Profile(f, 'base', { spec: new EksClusterSpec(f, 'Spec', minimalSpecProps({ network: { vpcCidrForCluster: () => '10.1.2.0/16' } })) });
      new Cluster(f, 'alpha', { profiles: [p] });
    }, /^\[alpha\] `network.vpcCidrForCluster` result "10.1.2.0\/16" has host bits set: .* write "10.1.0.0\/16" \(or give the prefix length you meant\) \(profile "base"\)$/],
    ['a management egress block with host bits', fleet({ management: { ...TEST_MANAGEMENT, egressCidrs: ['203.0.113.17/28'] } }),
      /^\[Fleet\] `management.egressCidrs` entry "203.0.113.17\/28" has host bits set: .* write "203.0.113.16\/28"/],
    ['an add-on listed twice with different versions', spec({ addons: [EksAddon.vpcCni({ version: 'v1.19.2-eksbuild.1' }), EksAddon.vpcCni({ version: 'v1.20.0-eksbuild.1' })] }),
      /^\[Spec\] `addons` lists "vpc-cni" 2 times with different versions \("v1.19.2-eksbuild.1", "v1.20.0-eksbuild.1"\); EKS installs one version of an add-on per cluster, so keep one entry$/],
    ['an add-on listed twice in an override', cluster({ overrides: { addons: [EksAddon.coreDns(), EksAddon.coreDns()] } }),
      /^\[alpha\] effective spec \(profile "base" with this cluster's overrides\): `overrides.addons` lists "coredns" 2 times; EKS installs one version of an add-on per cluster, so keep one entry$/],
    ['cluster labels that are a list', cluster({ labels: ['env=prod'] as unknown as Record<string, string> }),
      /^\[alpha\] `labels` must be a map \(a plain object such as \{ env: "prod" \}\), but it is an array \(\["env=prod"\]\)$/],
    ['per-cluster values that are a string', cluster({ bundleValues: 'replicaCount: 2' as unknown as Record<string, Record<string, unknown>> }),
      /^\[alpha\] `bundleValues` must be a map \(a plain object such as \{ wordpress: \{ replicaCount: 2 \} \}\), but it is the string "replicaCount: 2": Helm values by bundle name$/],
    ['per-cluster values of one bundle that are a list', cluster({ bundles: [Bundle.helm('app', helmOptions)], bundleValues: { app: [1, 2] as unknown as Record<string, unknown> } }),
      /^\[alpha\] `bundleValues` for bundle "app" must be an object of Helm values, e.g. \{ ingress: \{ hostname: "..." \} \}, but it is an array \(\[1,2\]\)$/],
    ['computed values that are not a map', cluster({ bundles: [Bundle.helm('app', { ...helmOptions, valuesForCluster: () => 3 as unknown as Record<string, unknown> })] }),
      /^\[alpha\] bundle "app", the values it computes \(`valuesForCluster`\) for this cluster: they are the number 3, not a map of Helm values$/],
    ['Helm values that are a list', profileWith(Bundle.helm('app', { ...helmOptions, values: ['a'] as unknown as Record<string, unknown> })),
      /^\[dev\] bundle "app" `values` must be a map \(a plain object such as \{ replicaCount: 2 \}\), but it is an array \(\["a"\]\): Helm values are a map at the top$/],
    ['AWS tags that are a list', spec({ tags: ['team=a'] as unknown as Record<string, string> }),
      /^\[Spec\] `tags` must be a map \(a plain object such as \{ team: "platform" \}\), but it is an array \(\["team=a"\]\)$/],
    ['node labels that are a class instance', spec({ nodePools: { general: { instanceType: 'm6i.large', labels: new Map([['a', 'b']]) as unknown as Record<string, string> } } }),
      /^\[Spec\] `nodePools.general.labels` must be a map \(a plain object such as \{ role: "general" \}\), but it is a Map \(a class instance, not a plain object\)$/],
    ['add-on configuration that is a string', spec({ addons: [EksAddon.vpcCni({ configuration: '{"env":{}}' as unknown as Record<string, unknown> })] }),
      /^\[Spec\] `addons` "vpc-cni" `configuration` must be a map .* but it is the string "\{\\"env\\":\{\}\}": EKS takes an add-on's configuration values as a JSON object$/],
  ])('%s', (_title, build, message) => {
    // WHEN the case builds its fleet and synthesizes it
    expect(() => {
      const built = build();
      if (built instanceof Construct) {
        (built.node.root as Fleet).synth();
      }
    }).toThrow(message);
    // THEN the output folder is exactly as it was
    expectUntouched();
  });
});

describe('a failed synth leaves dist/ exactly as it was', () => {
  const expectUntouched = seedOutput();

  test('when a construct rejects its props', () => {
    expect(() => {
      const f = buildExampleFleet({ outdir: out.dir });
      new Cluster(f, 'Bad_Name', { profiles: [f.node.findChild('dev') as Profile] });
      f.synth();
    }).toThrow(/\[Bad_Name\] cluster `name` "Bad_Name" must be a DNS-1123 label/);
    expectUntouched();
  });

  test('when a validation registered on a construct fails', () => {
    const f = buildExampleFleet({ outdir: out.dir });
    new Construct(f, 'Check').node.addValidation({ validate: () => ['bundle "x" was never added'] });
    expect(() => f.synth()).toThrow('[Check] bundle "x" was never added');
    expectUntouched();
  });

  test('when rendering an object throws', () => {
    const f = buildExampleFleet({ outdir: out.dir });
    const prod = f.node.findChild('prod-use1') as Cluster;
    prod.controlPlane.addJsonPatch(JsonPatch.replace('/spec/doesNotExist/field', 1));
    expect(() => f.synth()).toThrow(new RegExp('^\\[prod-use1/Capi/ControlPlane\\] AWSManagedControlPlane "acme--prod-use1-control-plane" could not be rendered: '
      + 'TypeError: Cannot read properties of undefined \\(reading \'field\'\\); if a JSON patch was added to it \\(`addJsonPatch`\\), check its path'));
    expectUntouched();
  });

  test('when the app is run as a program, as `npm run synth` does', () => {
    // GIVEN an app built on the compiled library that adds a bad cluster to the example fleet
    const root = path.resolve(__dirname, '..');
    const app = path.join(out.dir, '..', `${path.basename(out.dir)}-bad-app.js`);
    fs.writeFileSync(app, [
      `const { Cluster } = require(${JSON.stringify(path.join(root, 'lib/src'))});`,
      `const { buildExampleFleet } = require(${JSON.stringify(path.join(root, 'lib/example/fleet'))});`,
      `const fleet = buildExampleFleet({ outdir: ${JSON.stringify(out.dir)} });`,
      "new Cluster(fleet, 'prod-apse2', { profiles: [fleet.node.findChild('prod')], overrides: { region: 'ap-southeast' } });",
      'fleet.synth();',
    ].join('\n'));
    try {
      // WHEN it runs
      const result = spawnSync(process.execPath, [app], { encoding: 'utf8' });
      // THEN it fails with the message and dist/ is unchanged
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/\[prod-apse2\] effective spec \(profile "prod" with this cluster's overrides\): `region` "ap-southeast" is not an AWS region code/);
      expectUntouched();
    } finally {
      fs.rmSync(app, { force: true });
    }
  });

  test('re-running the example app over an up-to-date dist/ rewrites nothing', () => {
    const root = path.resolve(__dirname, '..');
    const output = execFileSync(process.execPath, [path.join(root, 'lib/example/main.js')], {
      encoding: 'utf8', env: { ...process.env, ARLON_OUTDIR: out.dir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output).toBe('');
    expectUntouched();
  });
});

test('a Fleet constructed with no props at all says what is missing', () => {
  expect(() => new Fleet({} as FleetProps)).toThrow(/`repoUrl` "undefined" is not a git URL/);
});
