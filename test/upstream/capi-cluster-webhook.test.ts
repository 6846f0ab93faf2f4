/**
 * Port of the non-topology cases of kubernetes-sigs/cluster-api v1.14.0, `core/webhooks/admission/cluster_test.go`,
 * run against the ported `validateCluster` of ./capi-cluster-webhook.ts (upstream's `webhook.validate(ctx, old, new)`;
 * `ValidateCreate` / `ValidateUpdate` are `validate(ctx, nil, new)` / `validate(ctx, old, new)`).
 *
 * Ported:
 * - TestClusterValidation: every case but "fails if topology is set but feature flag is disabled";
 * - TestMovingBetweenManagedAndUnmanaged: "Reject cluster moving from Managed to Unmanaged i.e. removing the
 *   spec.topology.class field on update" (the new Cluster has no topology, so `validate` never looks up the
 *   ClusterClass that upstream puts in its fake client).
 *
 * Left out, because they exercise the managed-topology branch (`validateTopology`, ClusterClass lookups and variables,
 * `Default` of a topology), which the port does not cover (it throws for a Cluster with `spec.topology`):
 * - TestClusterValidation "fails if topology is set but feature flag is disabled";
 * - TestMovingBetweenManagedAndUnmanaged's other three cases (the new Cluster has a topology);
 * - TestClusterTopologyDefaultNamespaces, TestClusterDefaultAndValidateVariables, TestClusterDefaultTopologyVersion,
 *   TestClusterFailOnMissingClassField (the Cluster defaulting webhook, which only acts on topologies);
 * - TestClusterTopologyValidation, TestClusterTopologyValidationWithClient, TestClusterTopologyValidationForTopologyClassChange,
 *   TestClusterClassPollingErrors, Test_validateTopologyControlPlaneVersion, Test_validateTopologyMachineDeploymentVersions,
 *   Test_validateTopologyMachinePoolVersions, TestValidateAutoscalerAnnotationsForCluster (all topology / ClusterClass).
 *
 * Upstream checks a substring of the error's text, `apierrors.NewInvalid(...)`: `goInvalidError` below renders the
 * port's `FieldError`s exactly as `field.Error.Error()`, `ErrorList.ToAggregate()` and `NewInvalid` do, and the same
 * substring is checked against it. Builders are written as the objects they build: `builder.ControlPlane(ns, name)`
 * is referenced as `{apiGroup: controlplane.cluster.x-k8s.io, kind: GenericControlPlane, name}` and
 * `builder.InfrastructureClusterTemplate(ns, name)` as `{apiGroup: infrastructure.cluster.x-k8s.io,
 * kind: GenericInfrastructureClusterTemplate, name}` (`objToRef`).
 */
import * as YAML from 'yaml';
import { validateCluster, type CapiClusterObject } from './capi-cluster-webhook';
import { type FieldError } from './field-errors';
import { Cluster, EksClusterSpec, Profile } from '../../src';
import { minimalSpecProps, testFleet } from '../support/fixtures';

/** `field.Error.Error()`: `<field>: <type>[: <value>][: <detail>]`. */
function goFieldError(e: FieldError): string {
  const value = (v: unknown): string => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v ?? null));
  const body = e.type === 'Invalid' ? `Invalid value: ${value(e.value)}` : e.type === 'Required' ? 'Required value' : 'Forbidden';
  return `${e.field}: ${body}${e.detail !== '' ? `: ${e.detail}` : ''}`;
}

/** `apierrors.NewInvalid(groupKind, name, errs).Error()`, with `ToAggregate`'s de-duplication and brackets. */
function goInvalidError(groupKind: string, name: string, errs: readonly FieldError[]): string {
  const messages = [...new Set(errs.map(goFieldError))];
  const aggregate = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
  return messages.length === 0 ? `${groupKind} "${name}" is invalid` : `${groupKind} "${name}" is invalid: ${aggregate}`;
}

interface ClusterOptions {
  readonly infrastructureCluster?: string;
  readonly controlPlane?: string;
  readonly clusterNetwork?: NonNullable<CapiClusterObject['spec']>['clusterNetwork'];
  readonly topology?: Record<string, unknown>;
}

/** `builder.Cluster(namespace, name).With...().Build()`. */
function cluster(namespace: string, name: string, options: ClusterOptions = {}): CapiClusterObject {
  return {
    metadata: { name, namespace },
    spec: {
      ...(options.clusterNetwork !== undefined ? { clusterNetwork: options.clusterNetwork } : {}),
      ...(options.topology !== undefined ? { topology: options.topology } : {}),
      ...(options.infrastructureCluster !== undefined
        ? { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'GenericInfrastructureClusterTemplate', name: options.infrastructureCluster } }
        : {}),
      ...(options.controlPlane !== undefined
        ? { controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'GenericControlPlane', name: options.controlPlane } }
        : {}),
    },
  };
}

describe('TestClusterValidation', () => {
  const tests: Array<{ name: string; in: CapiClusterObject; old?: CapiClusterObject; expectErr: boolean; expectErrStr?: string }> = [
    {
      name: 'should succeed when namespaces match',
      expectErr: false,
      in: cluster('fooNamespace', 'cluster1', { infrastructureCluster: 'infra1', controlPlane: 'cp1' }),
    },
    {
      name: 'fails if none of spec.controlPlaneRef, spec.infrastructureRef or spec.topology is set',
      expectErr: true,
      expectErrStr: 'spec: Forbidden: one of spec.controlPlaneRef, spec.infrastructureRef or spec.topology must be set',
      in: cluster('fooNamespace', 'cluster1'),
    },
    {
      name: 'pass with undefined CIDR ranges',
      expectErr: false,
      in: cluster('fooNamespace', 'cluster1', { controlPlane: 'cp1', clusterNetwork: { services: { cidrBlocks: [] }, pods: { cidrBlocks: [] } } }),
    },
    {
      name: 'pass with nil CIDR ranges',
      expectErr: false,
      in: cluster('fooNamespace', 'cluster1', { controlPlane: 'cp1', clusterNetwork: { services: {}, pods: {} } }),
    },
    {
      name: 'pass with valid IPv4 CIDR ranges',
      expectErr: false,
      in: cluster('fooNamespace', 'cluster1', {
        controlPlane: 'cp1',
        clusterNetwork: { services: { cidrBlocks: ['10.10.10.10/24'] }, pods: { cidrBlocks: ['10.10.10.10/24'] } },
      }),
    },
    {
      name: 'pass with valid IPv6 CIDR ranges',
      expectErr: false,
      in: cluster('fooNamespace', 'cluster1', {
        controlPlane: 'cp1',
        clusterNetwork: { services: { cidrBlocks: ['2004::1234:abcd:ffff:c0a8:101/64'] }, pods: { cidrBlocks: ['2004::1234:abcd:ffff:c0a8:101/64'] } },
      }),
    },
    {
      name: 'pass with valid dualstack CIDR ranges',
      expectErr: false,
      in: cluster('fooNamespace', 'cluster1', {
        controlPlane: 'cp1',
        clusterNetwork: {
          services: { cidrBlocks: ['2004::1234:abcd:ffff:c0a8:101/64', '10.10.10.10/24'] },
          pods: { cidrBlocks: ['2004::1234:abcd:ffff:c0a8:101/64', '10.10.10.10/24'] },
        },
      }),
    },
    {
      name: 'pass if multiple CIDR ranges of IPv4 are passed',
      expectErr: false,
      in: cluster('fooNamespace', 'cluster1', { controlPlane: 'cp1', clusterNetwork: { services: { cidrBlocks: ['10.10.10.10/24', '11.11.11.11/24'] } } }),
    },
    {
      name: 'pass if multiple CIDR ranges of IPv6 are passed',
      expectErr: false,
      in: cluster('fooNamespace', 'cluster1', {
        controlPlane: 'cp1',
        clusterNetwork: { services: { cidrBlocks: ['2002::1234:abcd:ffff:c0a8:101/64', '2004::1234:abcd:ffff:c0a8:101/64'] } },
      }),
    },
    {
      name: 'pass if too many cidr ranges are specified in the clusterNetwork pods field',
      expectErr: false,
      in: cluster('fooNamespace', 'cluster1', {
        controlPlane: 'cp1',
        clusterNetwork: { pods: { cidrBlocks: ['10.10.10.10/24', '11.11.11.11/24', '12.12.12.12/24'] } },
      }),
    },
    {
      name: 'fails if service cidr ranges are not valid',
      expectErr: true,
      expectErrStr: '[spec.clusterNetwork.services.cidrBlocks[0]: Invalid value: "10.10.10.10": invalid CIDR address: 10.10.10.10, spec.clusterNetwork.services.cidrBlocks[1]: Invalid value: "11.11.11.11": invalid CIDR address: 11.11.11.11]',
      // Invalid ranges: missing network suffix
      in: cluster('fooNamespace', 'cluster1', { controlPlane: 'cp1', clusterNetwork: { services: { cidrBlocks: ['10.10.10.10', '11.11.11.11'] } } }),
    },
    {
      name: 'fails if pod cidr ranges are not valid',
      expectErr: true,
      expectErrStr: '[spec.clusterNetwork.pods.cidrBlocks[0]: Invalid value: "10.10.10.10": invalid CIDR address: 10.10.10.10, spec.clusterNetwork.pods.cidrBlocks[1]: Invalid value: "11.11.11.11": invalid CIDR address: 11.11.11.11]',
      // Invalid ranges: missing network suffix
      in: cluster('fooNamespace', 'cluster1', { controlPlane: 'cp1', clusterNetwork: { pods: { cidrBlocks: ['10.10.10.10', '11.11.11.11'] } } }),
    },
    {
      name: 'pass with name of under 63 characters',
      expectErr: false,
      in: cluster('fooNamespace', 'short-name', { controlPlane: 'cp1' }),
    },
    {
      name: 'pass with _, -, . characters in name',
      in: cluster('fooNamespace', 'thisNameContains.A_Non-Alphanumeric', { controlPlane: 'cp1' }),
      expectErr: false,
    },
    {
      name: 'fails if cluster name is longer than 63 characters',
      in: cluster('fooNamespace', 'thisNameIsReallyMuchLongerThanTheMaximumLengthOfSixtyThreeCharacters', { controlPlane: 'cp1' }),
      expectErr: true,
      expectErrStr: 'must be a valid label value must be no more than 63 bytes',
    },
    {
      name: 'error when name starts with NonAlphanumeric character',
      in: cluster('fooNamespace', '-thisNameStartsWithANonAlphanumeric', { controlPlane: 'cp1' }),
      expectErr: true,
      expectErrStr: 'must be a valid label value a valid label must be an empty string or consist of alphanumeric characters',
    },
    {
      name: 'error when name ends with NonAlphanumeric character',
      in: cluster('fooNamespace', 'thisNameEndsWithANonAlphanumeric.', { controlPlane: 'cp1' }),
      expectErr: true,
      expectErrStr: 'must be a valid label value a valid label must be an empty string or consist of alphanumeric characters',
    },
    {
      name: 'error when name contains invalid NonAlphanumeric character',
      in: cluster('fooNamespace', 'thisNameContainsInvalid!@NonAlphanumerics', { controlPlane: 'cp1' }),
      expectErr: true,
      expectErrStr: 'must be a valid label value a valid label must be an empty string or consist of alphanumeric characters',
    },
    {
      name: 'error when controlPlaneRef gets unset',
      in: cluster('fooNamespace', 'cluster1'),
      old: cluster('fooNamespace', 'cluster1', { controlPlane: 'cp1' }),
      expectErr: true,
      expectErrStr: 'spec: Forbidden: one of spec.controlPlaneRef, spec.infrastructureRef or spec.topology must be set, spec.controlPlaneRef: Forbidden: cannot be removed',
    },
    {
      name: 'error when infrastructureRef gets unset',
      in: cluster('fooNamespace', 'cluster1'),
      old: cluster('fooNamespace', 'cluster1', { infrastructureCluster: 'infra1' }),
      expectErr: true,
      expectErrStr: 'spec.infrastructureRef: Forbidden: cannot be removed, spec: Forbidden: one of spec.controlPlaneRef, spec.infrastructureRef or spec.topology must be set',
    },
  ];

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    const errs = validateCluster(tt.old, tt.in);
    if (tt.expectErr) {
      expect(errs).not.toEqual([]);
      expect(tt.expectErrStr ?? '').not.toBe('');
      expect(goInvalidError('Cluster.cluster.x-k8s.io', tt.in.metadata.name ?? '', errs)).toContain(tt.expectErrStr);
      return;
    }
    expect(errs).toEqual([]);
  });
});

describe('TestMovingBetweenManagedAndUnmanaged', () => {
  const topology = { classRef: { name: 'class1' }, version: 'v1.22.2', controlPlane: { replicas: 3 } };
  const tests: Array<{ name: string; cluster: CapiClusterObject; updatedTopology?: Record<string, unknown>; wantErr: boolean }> = [
    {
      name: 'Reject cluster moving from Managed to Unmanaged i.e. removing the spec.topology.class field on update',
      cluster: cluster('default', 'cluster1', { topology }),
      updatedTopology: undefined,
      wantErr: true,
    },
  ];

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    // updatedCluster.Spec.Topology = ptr.Deref(tt.updatedTopology, clusterv1.Topology{}): an empty topology is not defined.
    const updatedCluster = structuredClone(tt.cluster);
    delete updatedCluster.spec?.topology;
    if (tt.updatedTopology !== undefined) {
      updatedCluster.spec = { ...updatedCluster.spec, topology: tt.updatedTopology };
    }
    const errs = validateCluster(tt.cluster, updatedCluster);
    if (tt.wantErr) {
      expect(errs).not.toEqual([]);
    } else {
      expect(errs).toEqual([]);
    }
  });
});

/** The library's own fleet-scoped names (`<fleet>--<cluster>`) against the ported webhook, at the limit and past it. */
describe('fleet-scoped Cluster names, through the ported webhook', () => {
  const fleetWithCluster = (name: string) => {
    const fleet = testFleet({ name: 'acme' });
    // one pool named g: its node group `<base>-g` (EKS allows 63) bounds the base name to 61 in practice
    const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps({ nodePools: { g: { instanceType: 'm6i.large' } } }));
    const profile = new Profile(fleet, 'base', { spec });
    new Cluster(fleet, name, { profiles: [profile] });
    return fleet;
  };
  const longest = 'c'.repeat(61 - 'acme--'.length);

  test('the longest name the library gives a Cluster is one the webhook admits, as is 63; 64 is refused', () => {
    const files = fleetWithCluster(longest).renderFiles();
    const capiCluster = YAML.parse(files.get(`clusters/${longest}/Cluster.acme--${longest}.yaml`)!) as CapiClusterObject;
    expect(capiCluster.metadata.name).toHaveLength(61);
    expect(validateCluster(undefined, capiCluster)).toEqual([]);
    const named = (name: string) => ({ ...capiCluster, metadata: { ...capiCluster.metadata, name } });
    expect(validateCluster(undefined, named(`${capiCluster.metadata.name}cc`))).toEqual([]);
    // one character more is what the webhook refuses ...
    const tooLong = named(`${capiCluster.metadata.name}ccc`);
    expect(goInvalidError('Cluster.cluster.x-k8s.io', tooLong.metadata.name, validateCluster(undefined, tooLong)))
      .toContain('must be a valid label value must be no more than 63 bytes');
  });

  test('... and the library refuses it before anything is written', () => {
    expect(() => fleetWithCluster(`${longest}ccc`).renderFiles()).toThrow(/\(64 characters\) to its namespace and Cluster API cluster, which Kubernetes limits to 63/);
    expect(() => fleetWithCluster(`${longest}c`).renderFiles()).toThrow(/node pool "g" would be EKS node group "acme--c+-g" \(64 characters\); EKS allows 63/);
  });
});
