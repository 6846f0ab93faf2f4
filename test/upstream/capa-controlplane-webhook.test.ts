/**
 * Port of kubernetes-sigs/cluster-api-provider-aws v2.11.1,
 * `controlplane/eks/webhooks/awsmanagedcontrolplane_webhook_test.go`, run against the ported AWSManagedControlPlane
 * webhook of ./capa-controlplane-webhook.ts. Every test function is ported: TestDefaultingWebhook, TestWebhookCreate,
 * TestWebhookCreateIPv6Details, TestWebhookUpdate (access config, encryption config, identity, IP family, tags,
 * versions), TestValidatingWebhookCreateSecondaryCidr, TestValidatingWebhookUpdateSecondaryCidr and
 * TestWebhookValidateAccessEntries.
 *
 * Where upstream goes through envtest (`testEnv.Create` / `testEnv.Update`: a real API server with CAPA's CRDs and
 * webhooks), the object goes through `ManagementCluster.admit` / `apply`: structural CRD defaulting from the real CRDs
 * (tokenMethod, availabilityZoneUsageLimit, availabilityZoneSelection, subnetSchema, ...), the mutating webhook
 * (`Default`), CRD schema validation, then the validating webhook. The object is sent as Go's client sends it: the
 * JSON that `json.Marshal` makes of the Go struct, so non-pointer struct fields (`network.vpc`, `bastion` with its
 * non-omitempty `enabled`, `endpointAccess`, `controlPlaneEndpoint`, `vpcCni`, `kubeProxy`) are present even when
 * upstream leaves them zero, and CRD defaults apply inside them exactly as on a real API server (`goSpec`). Upstream's
 * `GenerateName: "mcp-"` becomes a fixed name, since the harness does not generate names. Where upstream calls the
 * webhook methods directly, the cases call the plain `validateControlPlaneCreate` / `validateControlPlaneUpdate` /
 * `defaultControlPlane`.
 *
 * Not ported: the hashed EKS name of `eks.GenerateEKSName` for names of 100 characters or more (TestDefaultingWebhook
 * "more than 100 chars" expects a `capa_`-prefixed hash). The port refuses such names with a clear error instead of
 * producing a wrong name, and that case asserts the refusal.
 *
 * Upstream's substrings of the error text are checked against the port's `describeErrors` output (as `admit` reports
 * it, or directly for the plain functions). None of the webhook's methods returns warnings, so upstream's
 * `Expect(warn).To(BeEmpty())` has nothing to port.
 */
import {
  defaultControlPlane, MIN_KUBE_VERSION_FOR_IPV6, MIN_VPC_CNI_VERSION_FOR_IPV6, validateControlPlaneCreate, validateControlPlaneUpdate,
  type ManagedControlPlane,
} from './capa-controlplane-webhook';
import { describeErrors } from './field-errors';
import { ManagementCluster, type AdmissionResult } from './management-cluster';
import type { KubeObject } from '../../src/kube/types';

type Json = Record<string, unknown>;

const vV1_17_1 = 'v1.17.1';
const vV1_17 = 'v1.17';
const vV1_16 = 'v1.16';
const vpcCniAddon = 'vpc-cni';
const kubeProxyAddon = 'kube-proxy';

const HASH_NOT_PORTED = 'does not port the hashed EKS name';

/** The API server with CAPA's CRDs and webhooks that upstream's envtest runs. */
const testEnv = new ManagementCluster();

/** An AWSManagedControlPlane for the plain webhook functions. */
const mcp = (spec: Json, metadata: ManagedControlPlane['metadata'] = {}): ManagedControlPlane => ({ metadata, spec: spec as ManagedControlPlane['spec'] });

/**
 * `json.Marshal` of an `AWSManagedControlPlaneSpec` whose set fields are `spec` (already in JSON form): the struct
 * fields without `omitempty` effect are always there.
 */
function goSpec(spec: Json): Json {
  const network = (spec.network ?? {}) as Json;
  return {
    // omitempty: a nil pointer, an empty string (eksClusterName: "") and an absent field all marshal to nothing.
    ...Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined && v !== '')),
    network: { ...network, vpc: { ...(network.vpc as Json | undefined) } },
    endpointAccess: { ...(spec.endpointAccess as Json | undefined) },
    controlPlaneEndpoint: { host: '', port: 0, ...(spec.controlPlaneEndpoint as Json | undefined) },
    bastion: { enabled: false, ...(spec.bastion as Json | undefined) },
    vpcCni: { ...(spec.vpcCni as Json | undefined) },
    kubeProxy: { ...(spec.kubeProxy as Json | undefined) },
  };
}

/** The object a Go client sends for `&ekscontrolplanev1.AWSManagedControlPlane{ObjectMeta: ..., Spec: spec}`. */
const goObject = (name: string, namespace: string, spec: Json): KubeObject => ({
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'AWSManagedControlPlane',
  metadata: { name, namespace },
  spec: goSpec(spec),
});

/** `testEnv.Create(ctx, obj)`, without storing. */
const create = (name: string, namespace: string, spec: Json): AdmissionResult => testEnv.admit(goObject(name, namespace, spec), undefined);

/** `err != nil` / `err == nil`, and `err.Error()` contains `substring` when one is given. */
function expectOutcome(errors: string, expectError: boolean, substring?: string): void {
  if (expectError) {
    expect(errors).not.toBe('');
    if (substring !== undefined) {
      expect(errors).toContain(substring);
    }
  } else {
    expect(errors).toBe('');
  }
}

describe('TestDefaultingWebhook', () => {
  const defaultTestBastion = { allowedCIDRBlocks: ['0.0.0.0/0', '::/0'] };
  const defaultVPCSpec = { availabilityZoneUsageLimit: 3, availabilityZoneSelection: 'Ordered', subnetSchema: 'PreferPrivate' };
  const defaultIdentityRef = { kind: 'AWSClusterControllerIdentity', name: 'default' };
  const defaultNetworkSpec = {
    vpc: defaultVPCSpec,
    cni: {
      cniIngressRules: [
        { description: 'bgp (calico)', protocol: 'tcp', fromPort: 179, toPort: 179 },
        { description: 'IP-in-IP (calico)', protocol: '4', fromPort: -1, toPort: 65535 },
      ],
    },
  };

  /**
   * The stored spec that decodes to upstream's `expectSpec`: its JSON plus the fields that decode to Go zero values,
   * which `Equal` compares but upstream's literal leaves out (the CRD's `false` defaults and the empty structs).
   */
  const stored = (expectSpec: Json): Json => ({
    endpointAccess: {},
    controlPlaneEndpoint: { host: '', port: 0 },
    vpcCni: { disable: false },
    kubeProxy: { disable: false },
    associateOIDCProvider: false,
    restrictPrivateSubnets: false,
    ...expectSpec,
    bastion: { enabled: false, ...(expectSpec.bastion as Json) },
  });

  const tests: Array<{ name: string; resourceName: string; resourceNS: string; expectHash: boolean; spec: Json; expectSpec: Json }> = [
    {
      name: 'less than 100 chars',
      resourceName: 'cluster1',
      resourceNS: 'default',
      expectHash: false,
      spec: {},
      expectSpec: {
        eksClusterName: 'default_cluster1',
        identityRef: defaultIdentityRef,
        bastion: defaultTestBastion,
        network: defaultNetworkSpec,
        tokenMethod: 'iam-authenticator',
        bootstrapSelfManagedAddons: true,
      },
    },
    {
      name: 'less than 100 chars, dot in name',
      resourceName: 'team1.cluster1',
      resourceNS: 'default',
      expectHash: false,
      spec: {},
      expectSpec: {
        eksClusterName: 'default_team1_cluster1',
        identityRef: defaultIdentityRef,
        bastion: defaultTestBastion,
        network: defaultNetworkSpec,
        tokenMethod: 'iam-authenticator',
        bootstrapSelfManagedAddons: true,
      },
    },
    {
      name: 'more than 100 chars',
      resourceName: 'abcde'.repeat(20),
      resourceNS: 'default',
      expectHash: true,
      spec: {},
      expectSpec: {
        eksClusterName: 'capi_',
        identityRef: defaultIdentityRef,
        bastion: defaultTestBastion,
        network: defaultNetworkSpec,
        tokenMethod: 'iam-authenticator',
        bootstrapSelfManagedAddons: true,
      },
    },
    {
      name: 'with patch',
      resourceName: 'cluster1',
      resourceNS: 'default',
      expectHash: false,
      spec: { version: vV1_17_1 },
      expectSpec: {
        eksClusterName: 'default_cluster1',
        version: vV1_17_1,
        identityRef: defaultIdentityRef,
        bastion: defaultTestBastion,
        network: defaultNetworkSpec,
        tokenMethod: 'iam-authenticator',
        bootstrapSelfManagedAddons: true,
      },
    },
    {
      name: 'with allowed ip on bastion',
      resourceName: 'cluster1',
      resourceNS: 'default',
      expectHash: false,
      spec: { bastion: { allowedCIDRBlocks: ['100.100.100.100/0', '2001:1234:5678:9a40::/56'] } },
      expectSpec: {
        eksClusterName: 'default_cluster1',
        identityRef: defaultIdentityRef,
        bastion: { allowedCIDRBlocks: ['100.100.100.100/0', '2001:1234:5678:9a40::/56'] },
        network: defaultNetworkSpec,
        tokenMethod: 'iam-authenticator',
        bootstrapSelfManagedAddons: true,
      },
    },
    {
      name: 'with CNI on network',
      resourceName: 'cluster1',
      resourceNS: 'default',
      expectHash: false,
      spec: { network: { cni: {} } },
      expectSpec: {
        eksClusterName: 'default_cluster1',
        identityRef: defaultIdentityRef,
        bastion: defaultTestBastion,
        network: { cni: {}, vpc: defaultVPCSpec },
        tokenMethod: 'iam-authenticator',
        bootstrapSelfManagedAddons: true,
      },
    },
    {
      name: 'secondary CIDR',
      resourceName: 'cluster1',
      resourceNS: 'default',
      expectHash: false,
      spec: {},
      // SecondaryCidrBlock: nil
      expectSpec: {
        eksClusterName: 'default_cluster1',
        identityRef: defaultIdentityRef,
        bastion: defaultTestBastion,
        network: defaultNetworkSpec,
        tokenMethod: 'iam-authenticator',
        bootstrapSelfManagedAddons: true,
      },
    },
  ];

  describe.each(tests.map((tc) => [tc.name, tc] as const))('%s', (_name, tc) => {
    // utildefaulting.DefaultValidateTest on the object before its spec is set: plain Default, then validation.
    describe('for AWSManagedMachinePool', () => {
      const object = () => mcp({}, { name: tc.resourceName, namespace: tc.resourceNS });
      const createCopy = object();
      const updateCopy = object();
      const deleteCopy = object();
      const defaultingUpdateCopy = structuredClone(updateCopy);

      if (tc.expectHash) {
        test('validate-on-create (not ported: hashed EKS name)', () => {
          expect(() => defaultControlPlane(createCopy)).toThrow(HASH_NOT_PORTED);
        });
        return;
      }

      test('validate-on-create', () => {
        expect(() => defaultControlPlane(createCopy)).not.toThrow();
        expect(validateControlPlaneCreate(createCopy)).toEqual([]);
      });

      test('validate-on-update', () => {
        expect(() => defaultControlPlane(defaultingUpdateCopy)).not.toThrow();
        expect(() => defaultControlPlane(updateCopy)).not.toThrow();
        expect(validateControlPlaneUpdate(createCopy, defaultingUpdateCopy)).toEqual([]);
      });

      test('validate-on-delete', () => {
        expect(() => defaultControlPlane(deleteCopy)).not.toThrow();
      });
    });

    test('testEnv.Create', () => {
      const result = create(tc.resourceName, tc.resourceNS, tc.spec);
      if (tc.expectHash) {
        // Upstream: Succeed, with an EKS name that starts with "capa_". The port refuses instead.
        expect(result.stored).toBeUndefined();
        expect(result.errors.join('\n')).toContain(HASH_NOT_PORTED);
        return;
      }
      expect(result.errors).toEqual([]);
      const spec = result.stored?.spec as Json;
      expect(spec.eksClusterName).not.toBe('');
      expect(spec).toStrictEqual(stored(tc.expectSpec));
    });
  });
});

describe('TestWebhookCreate', () => {
  interface Case {
    name: string;
    eksClusterName: string;
    expectError: boolean;
    expectErrorToContain?: string;
    eksVersion?: string;
    hasAddons?: boolean;
    vpcCNI?: Json;
    additionalTags?: Record<string, string>;
    secondaryCidr?: string;
    secondaryCidrBlocks?: Json[];
    kubeProxy?: Json;
    accessConfig?: Json;
  }

  const tests: Case[] = [
    {
      name: 'ekscluster specified',
      eksClusterName: 'default_cluster1',
      expectError: false,
      hasAddons: false,
      vpcCNI: {},
      additionalTags: {
        'a': 'b',
        'key-2': 'value-2',
      },
    },
    {
      name: 'ekscluster NOT specified',
      eksClusterName: '',
      expectError: false,
      hasAddons: false,
      vpcCNI: {},
    },
    {
      name: 'invalid version',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.x17',
      expectError: true,
      hasAddons: false,
      vpcCNI: {},
    },
    {
      name: 'addons with allowed k8s version',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.18',
      expectError: false,
      hasAddons: true,
      vpcCNI: {},
    },
    {
      name: 'addons with not allowed k8s version',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.17',
      expectError: true,
      hasAddons: true,
      vpcCNI: {},
    },
    {
      name: 'disable vpc cni allowed with no addons or secondary cidr',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: false,
      hasAddons: false,
      vpcCNI: {},
    },
    {
      name: 'disable vpc cni not allowed with vpc cni addon',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: true,
      hasAddons: true,
      vpcCNI: { disable: true },
    },
    {
      name: 'disable vpc cni allowed with valid secondary',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: false,
      hasAddons: false,
      vpcCNI: { disable: true },
      secondaryCidr: '100.64.0.0/16',
    },
    {
      name: 'disable vpc cni allowed with invalid secondary',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: true,
      hasAddons: false,
      vpcCNI: { disable: true },
      secondaryCidr: '100.64.0.0/10',
    },
    {
      name: 'secondary CIDR block not listed in NetworkSpec.VPC.SecondaryCidrBlocks',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: true,
      expectErrorToContain: '100.64.0.0/16 must be listed in AWSManagedControlPlane.spec.network.vpc.secondaryCidrBlocks',
      secondaryCidr: '100.64.0.0/16',
      secondaryCidrBlocks: [{ ipv4CidrBlock: '123.456.0.0/16' }],
    },
    {
      name: 'invalid tags not allowed',
      eksClusterName: 'default_cluster1',
      expectError: true,
      hasAddons: false,
      vpcCNI: {},
      additionalTags: {
        'key-1': 'value-1',
        '': 'value-2',
        ['CAPI'.repeat(33)]: 'value-3',
        'key-4': 'CAPI'.repeat(65),
      },
    },
    {
      name: 'disable kube-proxy allowed with no addons',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: false,
      hasAddons: false,
      vpcCNI: {},
      kubeProxy: { disable: true },
    },
    {
      name: 'disable kube-proxy not allowed with kube-proxy addon',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: true,
      hasAddons: true,
      vpcCNI: {},
      kubeProxy: { disable: true },
    },
    {
      name: 'disable vpc cni and disable kube-proxy allowed with no addons',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: false,
      hasAddons: false,
      vpcCNI: { disable: true },
      kubeProxy: { disable: true },
    },
    {
      name: 'disable vpc cni and disable kube-proxy not allowed with vpc cni and kube-proxy addons',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: true,
      hasAddons: true,
      vpcCNI: { disable: true },
      kubeProxy: { disable: true },
    },
    {
      name: 'BootstrapClusterCreatorAdminPermissions true with EKSAuthenticationModeConfigMap',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: false,
      accessConfig: { authenticationMode: 'config_map', bootstrapClusterCreatorAdminPermissions: true },
    },
    {
      name: 'BootstrapClusterCreatorAdminPermissions false with EKSAuthenticationModeConfigMap',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: true,
      expectErrorToContain: 'bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to config_map',
      accessConfig: { authenticationMode: 'config_map', bootstrapClusterCreatorAdminPermissions: false },
    },
    {
      name: 'BootstrapClusterCreatorAdminPermissions false with EKSAuthenticationModeAPIAndConfigMap',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: false,
      accessConfig: { authenticationMode: 'api_and_config_map', bootstrapClusterCreatorAdminPermissions: false },
    },
    {
      name: 'BootstrapClusterCreatorAdminPermissions false with EKSAuthenticationModeAPI',
      eksClusterName: 'default_cluster1',
      eksVersion: 'v1.19',
      expectError: false,
      accessConfig: { authenticationMode: 'api', bootstrapClusterCreatorAdminPermissions: false },
    },
  ];

  test.each(tests.map((tc) => [tc.name, tc] as const))('%s', (_name, tc) => {
    const spec: Json = {
      eksClusterName: tc.eksClusterName,
      kubeProxy: tc.kubeProxy,
      additionalTags: tc.additionalTags,
      vpcCni: tc.vpcCNI,
      network: { vpc: { secondaryCidrBlocks: tc.secondaryCidrBlocks } },
    };
    if (tc.eksVersion !== undefined) {
      spec.version = tc.eksVersion;
    }
    if (tc.hasAddons) {
      spec.addons = [
        { name: vpcCniAddon, version: 'v1.0.0' },
        { name: kubeProxyAddon, version: 'v1.0.0' },
      ];
    }
    if (tc.secondaryCidr !== undefined) {
      spec.secondaryCidrBlock = tc.secondaryCidr;
    }
    if (tc.accessConfig !== undefined) {
      spec.accessConfig = tc.accessConfig;
    }
    const result = create('mcp-create', 'default', withoutUndefined(spec));
    expectOutcome(result.errors.join('\n'), tc.expectError, tc.expectErrorToContain);
  });
});

describe('TestWebhookCreateIPv6Details', () => {
  const tests: Array<{ name: string; addons?: Json[]; kubeVersion: string; networkSpec: Json; err?: string }> = [
    {
      name: 'ipv6 with lower cluster version',
      kubeVersion: 'v1.18',
      err: `IPv6 requires Kubernetes ${MIN_KUBE_VERSION_FOR_IPV6} or greater`,
      networkSpec: { vpc: { ipv6: {} } },
    },
    {
      name: 'ipv6 no addons',
      kubeVersion: 'v1.22',
      err: 'addons are required to be set explicitly if IPv6 is enabled',
      networkSpec: { vpc: { ipv6: {} } },
    },
    {
      name: 'ipv6 with addons but cni version is lower than supported version',
      kubeVersion: 'v1.22',
      addons: [{ name: vpcCniAddon, version: '1.9.3' }],
      err: `vpc-cni version must be above or equal to ${MIN_VPC_CNI_VERSION_FOR_IPV6} for IPv6`,
      networkSpec: { vpc: { ipv6: {} } },
    },
    {
      name: 'ipv6 with addons and correct cni and cluster version',
      kubeVersion: 'v1.22',
      addons: [{ name: vpcCniAddon, version: '1.11.0' }],
      networkSpec: { vpc: { ipv6: {} } },
    },
    {
      name: 'ipv6 cidr block is set but pool is left empty',
      kubeVersion: 'v1.18',
      // PoolID is empty
      networkSpec: { vpc: { ipv6: { cidrBlock: 'not-empty' } } },
      err: 'poolId cannot be empty if cidrBlock is set',
    },
    {
      name: 'both ipv6 poolId and ipamPool are set',
      kubeVersion: 'v1.22',
      networkSpec: { vpc: { ipv6: { poolId: 'not-empty', ipamPool: {} } } },
      err: 'poolId and ipamPool cannot be used together',
    },
    {
      name: 'both ipv6 cidrBlock and ipamPool are set',
      kubeVersion: 'v1.22',
      networkSpec: { vpc: { ipv6: { cidrBlock: 'not-empty', ipamPool: {} } } },
      err: 'cidrBlock and ipamPool cannot be used together',
    },
    {
      name: 'Id or name are not set for IPAMPool',
      kubeVersion: 'v1.22',
      networkSpec: { vpc: { ipv6: { ipamPool: {} } } },
      err: 'ipamPool must have either id or name',
    },
  ];

  test.each(tests.map((tc) => [tc.name, tc] as const))('%s', (_name, tc) => {
    const spec = withoutUndefined({ eksClusterName: 'test-cluster', addons: tc.addons, network: tc.networkSpec, version: tc.kubeVersion });
    const result = create('mcp-ipv6', 'default', spec);
    expectOutcome(result.errors.join('\n'), tc.err !== undefined, tc.err);
  });
});

describe('TestWebhookUpdate', () => {
  const tests: Array<{ name: string; oldClusterSpec: Json; newClusterSpec: Json; expectError: boolean }> = [
    {
      name: 'ekscluster specified, same cluster names',
      oldClusterSpec: { eksClusterName: 'default_cluster1' },
      newClusterSpec: { eksClusterName: 'default_cluster1' },
      expectError: false,
    },
    {
      name: 'ekscluster specified, different cluster names',
      oldClusterSpec: { eksClusterName: 'default_cluster1' },
      newClusterSpec: { eksClusterName: 'default_cluster2' },
      expectError: true,
    },
    {
      name: 'old ekscluster specified, no new cluster name',
      oldClusterSpec: { eksClusterName: 'default_cluster1' },
      newClusterSpec: { eksClusterName: '' },
      expectError: true,
    },
    {
      name: 'older version',
      oldClusterSpec: { eksClusterName: 'default_cluster1', version: vV1_17 },
      newClusterSpec: { eksClusterName: 'default_cluster1', version: vV1_16 },
      expectError: true,
    },
    {
      name: 'same version',
      oldClusterSpec: { eksClusterName: 'default_cluster1', version: vV1_17 },
      newClusterSpec: { eksClusterName: 'default_cluster1', version: vV1_17 },
      expectError: false,
    },
    {
      name: 'newer version',
      oldClusterSpec: { eksClusterName: 'default_cluster1', version: vV1_16 },
      newClusterSpec: { eksClusterName: 'default_cluster1', version: vV1_17 },
      expectError: false,
    },
    {
      name: 'no change in access config',
      oldClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'config_map' } },
      newClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'config_map' } },
      expectError: false,
    },
    {
      name: 'change in access config to nil',
      oldClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'config_map' } },
      newClusterSpec: { eksClusterName: 'default_cluster1' },
      expectError: true,
    },
    {
      name: 'change in access config from nil to valid',
      oldClusterSpec: { eksClusterName: 'default_cluster1' },
      newClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'config_map' } },
      expectError: false,
    },
    {
      name: 'change in access config auth mode from ApiAndConfigMap to API is allowed',
      oldClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'api_and_config_map' } },
      newClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'api' } },
      expectError: false,
    },
    {
      name: 'change in access config auth mode from API to Config Map is denied',
      oldClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'api' } },
      newClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'config_map' } },
      expectError: true,
    },
    {
      name: 'change in access config auth mode from APIAndConfigMap to Config Map is denied',
      oldClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'api_and_config_map' } },
      newClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { authenticationMode: 'config_map' } },
      expectError: true,
    },
    {
      name: 'change in access config bootstrap admin permissions is ignored',
      oldClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { bootstrapClusterCreatorAdminPermissions: true } },
      newClusterSpec: { eksClusterName: 'default_cluster1', accessConfig: { bootstrapClusterCreatorAdminPermissions: false } },
      expectError: false,
    },
    {
      name: 'change in encryption config to nil',
      oldClusterSpec: { eksClusterName: 'default_cluster1', encryptionConfig: { provider: 'provider', resources: ['foo', 'bar'] } },
      newClusterSpec: { eksClusterName: 'default_cluster1' },
      expectError: true,
    },
    {
      name: 'change in encryption config from nil to valid encryption-config',
      oldClusterSpec: { eksClusterName: 'default_cluster1' },
      newClusterSpec: { eksClusterName: 'default_cluster1', encryptionConfig: { provider: 'provider', resources: ['foo', 'bar'] } },
      expectError: false,
    },
    {
      name: 'change in provider of encryption config',
      oldClusterSpec: { eksClusterName: 'default_cluster1', encryptionConfig: { provider: 'provider', resources: ['foo', 'bar'] } },
      newClusterSpec: { eksClusterName: 'default_cluster1', encryptionConfig: { provider: 'new-provider', resources: ['foo', 'bar'] } },
      expectError: true,
    },
    {
      name: 'no change in provider of encryption config',
      oldClusterSpec: { eksClusterName: 'default_cluster1', encryptionConfig: { provider: 'provider' } },
      newClusterSpec: { eksClusterName: 'default_cluster1', encryptionConfig: { provider: 'provider' } },
      expectError: false,
    },
    {
      name: 'ekscluster specified, same name, invalid tags',
      oldClusterSpec: { eksClusterName: 'default_cluster1' },
      newClusterSpec: {
        eksClusterName: 'default_cluster1',
        additionalTags: {
          'key-1': 'value-1',
          '': 'value-2',
          ['CAPI'.repeat(33)]: 'value-3',
          'key-4': 'CAPI'.repeat(65),
        },
      },
      expectError: true,
    },
    {
      name: 'changing ipv6 enabled is not allowed after it has been set - false, true',
      oldClusterSpec: { eksClusterName: 'default_cluster1', network: { vpc: {} }, version: '1.22' },
      newClusterSpec: { eksClusterName: 'default_cluster1', network: { vpc: { ipv6: {} } } },
      expectError: true,
    },
    {
      name: 'changing ipv6 enabled is not allowed after it has been set - true, false',
      oldClusterSpec: {
        eksClusterName: 'default_cluster1',
        network: { vpc: { ipv6: {} } },
        addons: [{ name: vpcCniAddon, version: '1.11.0' }],
        version: 'v1.22.0',
      },
      newClusterSpec: { eksClusterName: 'default_cluster1', network: { vpc: {} }, version: 'v1.22.0' },
      expectError: true,
    },
  ];

  test.each(tests.map((tc, i) => [tc.name, tc, i] as const))('%s', (_name, tc, i) => {
    const name = `mcp-update-${i}`;
    const created = testEnv.apply(goObject(name, 'default', tc.oldClusterSpec));
    expect(created.errors).toEqual([]);
    // mcp.Spec = tc.newClusterSpec; testEnv.Update(ctx, mcp)
    const updated = testEnv.apply(goObject(name, 'default', tc.newClusterSpec));
    expectOutcome(updated.errors.join('\n'), tc.expectError);
  });
});

const SECONDARY_CIDR_CASES: Array<{ name: string; cidrRange: string; expectError: boolean }> = [
  { name: 'complete range 1', cidrRange: '100.64.0.0/10', expectError: true },
  { name: 'complete range 2', cidrRange: '198.19.0.0/16', expectError: false },
  { name: 'subrange', cidrRange: '100.67.0.0/16', expectError: false },
  { name: 'invalid value', cidrRange: 'not a cidr range', expectError: true },
  { name: 'unsupported range', cidrRange: '10.0.0.1/20', expectError: true },
  { name: 'too large', cidrRange: '100.64.0.0/15', expectError: true },
  { name: 'too small', cidrRange: '100.64.0.0/29', expectError: true },
];

describe('TestValidatingWebhookCreateSecondaryCidr', () => {
  test.each(SECONDARY_CIDR_CASES.map((tc) => [tc.name, tc] as const))('%s', (_name, tc) => {
    const spec: Json = { eksClusterName: 'default_cluster1' };
    if (tc.cidrRange !== '') {
      spec.secondaryCidrBlock = tc.cidrRange;
    }
    expectOutcome(describeErrors(validateControlPlaneCreate(mcp(spec))), tc.expectError);
  });
});

describe('TestValidatingWebhookUpdateSecondaryCidr', () => {
  test.each(SECONDARY_CIDR_CASES.map((tc) => [tc.name, tc] as const))('%s', (_name, tc) => {
    const newMCP = mcp({ eksClusterName: 'default_cluster1', secondaryCidrBlock: tc.cidrRange });
    const oldMCP = mcp({ eksClusterName: 'default_cluster1' });
    expectOutcome(describeErrors(validateControlPlaneUpdate(oldMCP, newMCP)), tc.expectError);
  });
});

describe('TestWebhookValidateAccessEntries', () => {
  const principalARN = 'arn:aws:iam::123456789012:role/EKSAdmin';
  const viewPolicy = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
  const tests: Array<{ name: string; accessConfig?: Json; accessEntries: Json[]; expectError: boolean; errorSubstr?: string }> = [
    {
      name: 'valid access entries with api auth mode',
      accessConfig: { authenticationMode: 'api' },
      accessEntries: [{ principalARN, type: 'standard', kubernetesGroups: ['system:masters'] }],
      expectError: false,
    },
    {
      name: 'valid access entries with api_and_config_map auth mode',
      accessConfig: { authenticationMode: 'api_and_config_map' },
      accessEntries: [{ principalARN, type: 'standard', kubernetesGroups: ['system:masters'] }],
      expectError: false,
    },
    {
      name: 'invalid access entries with config_map auth mode',
      accessConfig: { authenticationMode: 'config_map' },
      accessEntries: [{ principalARN, type: 'standard', kubernetesGroups: ['system:masters'] }],
      expectError: true,
      errorSubstr: 'accessEntries can only be used when authenticationMode is set to api or api_and_config_map',
    },
    {
      name: 'invalid ec2_linux access entry with kubernetes groups',
      accessConfig: { authenticationMode: 'api' },
      accessEntries: [{ principalARN, type: 'ec2_linux', kubernetesGroups: ['system:masters'] }],
      expectError: true,
      errorSubstr: 'kubernetesGroups cannot be specified when type is ec2_linux or ec2_windows',
    },
    {
      name: 'invalid ec2_windows access entry with access policies',
      accessConfig: { authenticationMode: 'api' },
      accessEntries: [{ principalARN, type: 'ec2_windows', accessPolicies: [{ policyARN: viewPolicy, accessScope: { type: 'cluster' } }] }],
      expectError: true,
      errorSubstr: 'accessPolicies cannot be specified when type is ec2_linux or ec2_windows',
    },
    {
      name: 'invalid access policy with namespace type and no namespaces',
      accessConfig: { authenticationMode: 'api' },
      accessEntries: [{ principalARN, type: 'standard', accessPolicies: [{ policyARN: viewPolicy, accessScope: { type: 'namespace' } }] }],
      expectError: true,
      errorSubstr: 'at least one value must be provided when accessScope type is namespace',
    },
    {
      name: 'valid access policy with namespace type and namespaces',
      accessConfig: { authenticationMode: 'api' },
      accessEntries: [{
        principalARN,
        type: 'standard',
        accessPolicies: [{ policyARN: viewPolicy, accessScope: { type: 'namespace', namespaces: ['default', 'kube-system'] } }],
      }],
      expectError: false,
    },
  ];

  test.each(tests.map((tc) => [tc.name, tc] as const))('%s', (_name, tc) => {
    const r = mcp(withoutUndefined({ eksClusterName: 'default_cluster1', accessConfig: tc.accessConfig, accessEntries: tc.accessEntries }));
    expectOutcome(describeErrors(validateControlPlaneCreate(r)), tc.expectError, tc.errorSubstr);
  });
});

/** Drops the keys whose value is undefined, as `json.Marshal` omits nil and zero `omitempty` fields. */
function withoutUndefined(x: Json): Json {
  return Object.fromEntries(Object.entries(x).flatMap(([k, v]) => {
    if (v === undefined) {
      return [];
    }
    return [[k, v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutUndefined(v as Json) : v]];
  }));
}
