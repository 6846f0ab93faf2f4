/**
 * cluster-api-operator v0.28.0: ports of `internal/controller/preflight_checks_test.go` (TestPreflightChecks,
 * TestPreflightChecksUpgradesDowngrades), `component_customizer_test.go` (TestParseFeatureGates,
 * TestAdditiveFeatureGates, the feature-gate and additional-args cases of TestCustomizeDeployment,
 * TestCustomizeMultipleDeployment's name rule), `phases_test.go` (TestGetLatestVersion),
 * `genericprovider_controller_test.go` (TestNormalizeExistingConditions, TestAirGappedUpgradeDowngradeProvider's
 * versions), `healthcheck/healthcheck_controller_test.go` (TestReconcilerReadyConditions); then Cluster API v1.14.0 and
 * CAPA v2.11.1 through the contract check, the feature gates their controllers run with, and a management cluster
 * being bootstrapped.
 */
import {
  CAPA_V2_11_1_MANAGER_ARGS, CAPA_V2_11_1_METADATA, CAPA_V2_11_1_RELEASE, CAPI_V1_14_0_MANAGER_ARGS, CAPI_V1_14_0_METADATA,
  CAPI_V1_14_0_RELEASE, customizeManagerArgs, effectiveFeatureGates, getLatestVersion, healthCheck, isProviderManagerDeploymentName,
  parseFeatureGates, preflightChecks, processTemplates, providerDeployment, providerObject, PROVIDER_FINALIZER, reconcileOnce,
  reconcileProvider, releaseKey, validateRepoCAPIVersion, type ProviderType,
} from './capi-operator';
import type { Condition } from './status/capi-conditions';
import type { KubeObject } from '../support/crd-schemas';

const NOW = '2026-12-01T10:00:00Z';
const LATER = '2026-12-01T10:05:00Z';
const NS1 = 'provider-test-ns-1';
const NS2 = 'provider-test-ns-2';

type Kind = 'CoreProvider' | 'InfrastructureProvider';
interface P { kind?: Kind; name: string; ns?: string; version?: string; url?: string; selector?: boolean; ready?: boolean; installed?: string }
const prov = (p: P): KubeObject => {
  const o = providerObject(p.kind ?? 'CoreProvider', p.name, p.ns ?? NS1, {
    ...(p.version !== undefined ? { version: p.version } : {}),
    ...(p.url !== undefined || p.selector ? {
      fetchConfig: { ...(p.url !== undefined ? { url: p.url } : {}), ...(p.selector ? { selector: { matchLabels: { 'provider-components': 'aws' } } } : {}) },
    } : {}),
  });
  o.status = {
    ...(p.ready !== undefined ? { conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False', lastTransitionTime: NOW, reason: 'R', message: '' }] } : {}),
    ...(p.installed !== undefined ? { installedVersion: p.installed } : {}),
  };
  return o;
};
const conditions = (o: KubeObject): Condition[] => ((o.status as { conditions?: Condition[] }).conditions ?? []);
const cond = (o: KubeObject, type: string) => conditions(o).find((c) => c.type === type);

describe('TestPreflightChecks', () => {
  const passed = { status: 'True', message: 'All preflight checks passed' };
  const cases: Array<[string, P[], { status: string; reason?: string; message: string }, boolean, ((p: KubeObject) => ProviderType)?]> = [
    ['only one core provider exists, preflight check passed', [{ name: 'cluster-api', version: 'v1.0.0', url: 'https://example.com' }], passed, false],
    ['core provider with incorrect name, preflight check failed', [{ name: 'my-fancy-cluster-api', version: 'v1.0.0', url: 'https://example.com' }],
      { status: 'False', reason: 'IncorrectCoreProviderNameReason', message: 'Incorrect CoreProvider name: my-fancy-cluster-api. It should be cluster-api' }, true],
    ['two core providers were created, preflight check failed', [{ name: 'cluster-api', version: 'v1.0.0' }, { name: 'core-3', version: 'v1.0.0' }],
      { status: 'False', reason: 'MoreThanOneExists', message: 'CoreProvider already exists in the cluster. Only one is allowed.' }, true],
    ['two core providers were created, but accepted due to custom mapper logic',
      [{ name: 'cluster-api', version: 'v1.0.0' }, { name: 'core-3', version: 'v1.0.0' }], passed, false,
      (p) => (p.metadata.name === 'core-3' ? 'Unknown' : 'CoreProvider')],
    ['two core providers in two different namespaces were created, preflight check failed',
      [{ name: 'cluster-api', version: 'v1.0.0' }, { name: 'cluster-api', ns: NS2, version: 'v1.0.0' }],
      { status: 'False', reason: 'MoreThanOneExists', message: 'CoreProvider already exists in the cluster. Only one is allowed.' }, true],
    ['only one infra provider exists, preflight check passed',
      [{ kind: 'InfrastructureProvider', name: 'aws', version: 'v1.0.0' }, { name: 'cluster-api', ns: NS2, version: 'v1.0.0', ready: true }], passed, false],
    ['only one infra provider exists but core provider is not ready, preflight check failed',
      [{ kind: 'InfrastructureProvider', name: 'aws', version: 'v1.0.0' }, { name: 'cluster-api', ns: NS2, version: 'v1.0.0', ready: false }],
      { status: 'False', reason: 'WaitingForCoreProviderReady', message: 'Waiting for the CoreProvider to be installed.' }, true],
    ['two different infra providers exist in same namespaces, preflight check passed',
      [{ kind: 'InfrastructureProvider', name: 'metal3', version: 'v1.0.0' }, { kind: 'InfrastructureProvider', name: 'aws', version: 'v1.0.0' },
        { name: 'cluster-api', ns: NS2, version: 'v1.0.0', ready: true }], passed, false],
    ['two different infra providers exist in different namespaces, preflight check passed',
      [{ kind: 'InfrastructureProvider', name: 'metal3', version: 'v1.0.0' }, { kind: 'InfrastructureProvider', name: 'aws', ns: NS2, version: 'v1.0.0' },
        { name: 'cluster-api', ns: NS2, version: 'v1.0.0', ready: true }], passed, false],
    ['two similar infra provider exist in different namespaces, preflight check failed',
      [{ kind: 'InfrastructureProvider', name: 'aws', version: 'v1.0.0' }, { kind: 'InfrastructureProvider', name: 'aws', ns: NS2, version: 'v1.0.0' }],
      { status: 'False', reason: 'MoreThanOneExists', message: `There is already a aws with name ${NS2} in the cluster. Only one is allowed.` }, true],
    ['two similarly named infra provider exist in different namespaces, but custom mapper returns differentiats types, preflight check passed',
      [{ name: 'cluster-api', url: 'https://example.com' }, { kind: 'InfrastructureProvider', name: 'aws', version: 'v1.0.0' },
        { kind: 'InfrastructureProvider', name: 'aws', ns: NS2, version: 'v1.0.0' }], passed, false,
      (p) => (p.metadata.namespace === NS2 ? 'Unknown' : p.metadata.name === 'cluster-api' ? 'CoreProvider' : 'InfrastructureProvider')],
    ['wrong version, preflight check failed', [{ kind: 'InfrastructureProvider', name: 'aws', version: 'one' }],
      { status: 'False', reason: 'IncorrectVersionFormat', message: 'could not parse "one" as version' }, true],
    ['missing version, preflight check passed', [{ name: 'cluster-api', url: 'https://example.com' }], passed, false],
    ['incorrect fetchConfig, preflight check failed', [{ kind: 'InfrastructureProvider', name: 'aws', version: 'v1.0.0', url: 'https://example.com', selector: true }],
      { status: 'False', reason: 'FetchConfigValidationError', message: 'Only one of Selector and URL must be provided, not both' }, true],
    ['predefined core provider without fetch config, preflight check passed', [{ name: 'cluster-api', version: 'v1.0.0' }], passed, false],
    ['custom Infrastructure Provider without fetch config, preflight check failed', [{ kind: 'InfrastructureProvider', name: 'my-custom-aws', version: 'v1.0.0' }],
      { status: 'False', reason: 'FetchConfigValidationError', message: 'Either Selector, OCI URL or provider URL must be provided for a not predefined provider' }, true],
    ['custom Infrastructure Provider with fetch config with empty values, preflight check failed',
      [{ kind: 'InfrastructureProvider', name: 'my-custom-aws', version: 'v1.0.0', url: '' }],
      { status: 'False', reason: 'FetchConfigValidationError', message: 'Either Selector, OCI URL or provider URL must be provided for a not predefined provider' }, true],
  ];
  // Every row gets its 5th element (jest would pass `done` for a missing one).
  test.each(cases.map(([n, s, e, x, m]) => [n, s, e, x, m] as const))('%s', (_, specs, expected, expectError, mapper) => {
    const providers = specs.map(prov);
    const err = preflightChecks(providers[0], { providers, mapper }, NOW);
    expect(err !== undefined).toBe(expectError);
    expect(conditions(providers[0])).toHaveLength(1);
    expect(conditions(providers[0])[0]).toMatchObject({ type: 'PreflightCheckPassed', ...expected, observedGeneration: 1, lastTransitionTime: NOW });
  });
});

describe('TestPreflightChecksUpgradesDowngrades', () => {
  test.each([
    ['upgrade core provider major version', 'v1.9.0', 'v2.0.0', 'True'],
    ['upgrade core provider minor version', 'v1.9.0', 'v1.10.0', 'True'],
    ['downgrade core provider major version', 'v2.0.0', 'v1.9.0', 'False'],
    ['downgrade core provider minor version', 'v1.10.0', 'v1.9.0', 'False'],
    ['downgrade core provider patch version', 'v1.10.1', 'v1.10.0', 'True'],
    ['same version', 'v1.10.0', 'v1.10.0', 'True'],
  ])('%s', (_, installed, target, status) => {
    const p = prov({ name: 'cluster-api', version: target, url: 'https://example.com', installed });
    const err = preflightChecks(p, { providers: [p] }, NOW);
    expect(err !== undefined).toBe(status === 'False');
    expect(conditions(p)).toHaveLength(1);
    expect(conditions(p)[0]).toMatchObject({ type: 'PreflightCheckPassed', status });
    if (status === 'False') {
      // The %s of unsupportedProviderDowngradeMessage is never formatted upstream.
      expect(conditions(p)[0]).toMatchObject({ reason: 'UnsupportedProviderDowngradeReason', message: 'Downgrade is not supported for provider %s' });
    }
  });
});

describe('feature gates (component_customizer_test.go)', () => {
  test.each([
    ['no feature gates', ['--webhook-port=2345'], {}],
    ['single feature gate', ['--feature-gates=MachinePool=true'], { MachinePool: true }],
    ['multiple feature gates', ['--feature-gates=MachinePool=true,ClusterTopology=false,RuntimeSDK=true'], { MachinePool: true, ClusterTopology: false, RuntimeSDK: true }],
    ['feature gates among other args', ['--webhook-port=2345', '--feature-gates=MachinePool=true,ClusterTopology=false', '--v=5'],
      { MachinePool: true, ClusterTopology: false }],
  ])('TestParseFeatureGates: %s', (_, args, expected) => {
    expect(Object.fromEntries(parseFeatureGates(args))).toEqual(expected);
  });

  test('a gate is true only when its value is exactly "true"', () => {
    expect(Object.fromEntries(parseFeatureGates(['--feature-gates=A=True,B=1,C=true,D']))).toEqual({ A: false, B: false, C: true });
  });

  test('TestAdditiveFeatureGates', () => {
    const args = customizeManagerArgs(['--webhook-port=2345', '--feature-gates=MachinePool=true,MachineSetPreflightChecks=true,PriorityQueue=false'],
      { featureGates: { ClusterTopology: true, MachineSetPreflightChecks: false } });
    expect(args).toEqual(['--webhook-port=2345', '--feature-gates=ClusterTopology=true,MachinePool=true,MachineSetPreflightChecks=false,PriorityQueue=false']);
    expect(Object.fromEntries(parseFeatureGates(args)))
      .toEqual({ MachinePool: true, ClusterTopology: true, MachineSetPreflightChecks: false, PriorityQueue: false });
  });

  test('TestCustomizeDeployment "all manager options": the gates are appended sorted, then the additional args', () => {
    expect(customizeManagerArgs(['--webhook-port=2345'], {
      featureGates: { TEST: true, ANOTHER: false }, verbosity: 5, additionalArgs: { '--test-option': 'test-value' },
    })).toEqual(['--webhook-port=2345', '--v=5', '--feature-gates=ANOTHER=false,TEST=true', '--test-option=test-value']);
  });

  test('TestCustomizeDeployment "additional arg already in args list": an error', () => {
    expect(() => customizeManagerArgs(['--webhook-port=3579'], { additionalArgs: { '--webhook-port': '3579' } })).toThrow('arg "--webhook-port" already exists');
  });

  test('no featureGates: the --feature-gates arg is left as the manifest has it', () => {
    expect(customizeManagerArgs(['--feature-gates=A=true'], { featureGates: {} })).toEqual(['--feature-gates=A=true']);
  });

  test.each([
    ['non-manager', false], ['ca-non-manager', false], ['non-manager-controller-manager', false],
    ['azureserviceoperator-controller-manager', false], ['', false], ['capa-controller-manager', true], ['capi-controller-manager', true],
  ])('isProviderManagerDeploymentName(%j) = %s', (name, expected) => {
    expect(isProviderManagerDeploymentName(name)).toBe(expected);
  });
});

describe('clusterctl variable substitution (SimpleProcessor + drone/envsubst)', () => {
  test.each([
    ['${A:=x}', {}, 'x'],
    ['${A:=x}', { A: 'y' }, 'y'],
    ['${A:=x}', { A: '' }, 'x'],
    ['${A:-x}', {}, 'x'],
    ['${A=x}', {}, 'x'],
    ['${A}', { A: 'v' }, 'v'],
    ['--a=${A:=:8443}', {}, '--a=:8443'],
    ['${A:=${B}}', { B: 'b' }, 'b'],
    ['$$HOME', {}, '$HOME'],
    ['$HOME', {}, '$HOME'],
  ] as Array<[string, Record<string, string>, string]>)('%s with %j', (template, vars, expected) => {
    expect(processTemplates([template], vars)).toEqual([expected]);
  });

  test('a variable without default must be set', () => {
    expect(() => processTemplates(['${B}', '${A}', '${C:=1}'], {})).toThrow(
      'value for variables [A, B] is not set. Please set the value using os environment variables or the clusterctl config file');
    expect(() => processTemplates(['${A'], {})).toThrow('bad substitution');
  });
});

describe('the feature gates CAPI v1.14.0 and CAPA v2.11.1 run with', () => {
  test('CAPA with no configSecret variables: MachinePool=false, EKSEnableIAM=false', () => {
    expect(effectiveFeatureGates(CAPA_V2_11_1_MANAGER_ARGS, {})).toEqual({
      EKS: true,
      EKSEnableIAM: false,
      EKSAllowAddRoles: false,
      EKSFargate: false,
      MachinePool: false,
      MachinePoolMachines: false,
      EventBridgeInstanceState: false,
      AutoControllerIdentityCreator: true,
      BootstrapFormatIgnition: false,
      ExternalResourceGC: true,
      AlternativeGCStrategy: false,
      TagUnmanagedNetworkResources: true,
      ROSA: false,
    });
  });

  test('CAPA with featureGates {MachinePool: true, EKSEnableIAM: true}', () => {
    const gates = effectiveFeatureGates(CAPA_V2_11_1_MANAGER_ARGS, {}, { featureGates: { MachinePool: true, EKSEnableIAM: true } });
    expect(gates).toMatchObject({ MachinePool: true, EKSEnableIAM: true, EKS: true, EKSFargate: false });
    expect(Object.keys(gates)).toHaveLength(13);
  });

  test('CAPA with configSecret variables EXP_MACHINE_POOL and CAPA_EKS_IAM', () => {
    expect(effectiveFeatureGates(CAPA_V2_11_1_MANAGER_ARGS, { EXP_MACHINE_POOL: 'true', CAPA_EKS_IAM: 'true' }))
      .toMatchObject({ MachinePool: true, EKSEnableIAM: true });
  });

  test('CAPI with no variables: MachinePool=true, ClusterTopology=false', () => {
    expect(effectiveFeatureGates(CAPI_V1_14_0_MANAGER_ARGS, {})).toEqual({
      MachinePool: true,
      ClusterTopology: false,
      RuntimeSDK: false,
      MachineSetPreflightChecks: true,
      MachineWaitForVolumeDetachConsiderVolumeAttachments: true,
      PriorityQueue: true,
      ReconcilerRateLimiting: true,
      InPlaceUpdates: false,
      MachineTaintPropagation: false,
    });
  });

  test('the customized CAPA arg is sorted, the others untouched', () => {
    const args = customizeManagerArgs(processTemplates(CAPA_V2_11_1_MANAGER_ARGS, {}), { featureGates: { MachinePool: true } });
    expect(args[0]).toBe('--leader-elect');
    expect(args[1]).toBe('--feature-gates=AlternativeGCStrategy=false,AutoControllerIdentityCreator=true,BootstrapFormatIgnition=false,EKS=true,'
      + 'EKSAllowAddRoles=false,EKSEnableIAM=false,EKSFargate=false,EventBridgeInstanceState=false,ExternalResourceGC=true,MachinePool=true,'
      + 'MachinePoolMachines=false,ROSA=false,TagUnmanagedNetworkResources=true');
    expect(args.slice(2)).toEqual(['--v=0', '--diagnostics-address=:8443', '--insecure-diagnostics=false']);
  });
});

describe('contract check (validateRepoCAPIVersion, GetReleaseSeriesForVersion)', () => {
  test('Cluster API v1.14.0 implements v1beta2, CAPA v2.11.1 v1beta1: both pass', () => {
    expect(validateRepoCAPIVersion('cluster-api', 'v1.14.0', CAPI_V1_14_0_METADATA)).toBe('v1beta2');
    expect(validateRepoCAPIVersion('aws', 'v2.11.1', CAPA_V2_11_1_METADATA)).toBe('v1beta1');
  });

  test('a version outside the release series, and an old contract, are refused', () => {
    expect(() => validateRepoCAPIVersion('aws', 'v2.12.0', CAPA_V2_11_1_METADATA))
      .toThrow('invalid provider metadata: version v2.12.0 for the provider aws does not match any release series');
    expect(() => validateRepoCAPIVersion('aws', 'v0.7.0', CAPA_V2_11_1_METADATA))
      .toThrow('CAPI operator is only compatible with v1beta2 providers, detected v1alpha4 for provider aws.');
  });

  test.each([
    ['Test empty input', [], undefined],
    ['Test single version', ['v1.0.0'], 'v1.0.0'],
    ['Test multiple versions', ['v1.0.0', 'v2.0.0', 'v1.5.0'], 'v2.0.0'],
    ['Test incorrect versions', ['v1.0.0', 'NOT_A_VERSION', 'v1.5.0'], undefined],
  ])('TestGetLatestVersion: %s', (_, versions, expected) => {
    if (expected === undefined) {
      expect(() => getLatestVersion(versions)).toThrow();
    } else {
      expect(getLatestVersion(versions)).toBe(expected);
    }
  });
});

const releases = {
  [releaseKey('CoreProvider', 'cluster-api', 'v1.14.0')]: CAPI_V1_14_0_RELEASE,
  [releaseKey('InfrastructureProvider', 'aws', 'v2.11.1')]: CAPA_V2_11_1_RELEASE,
  [releaseKey('InfrastructureProvider', 'aws', 'v2.10.0')]: { ...CAPA_V2_11_1_RELEASE },
};
const core = () => providerObject('CoreProvider', 'cluster-api', 'capi-system', { version: 'v1.14.0' });
const capa = (spec: Record<string, unknown> = {}) => providerObject('InfrastructureProvider', 'aws', 'capa-system',
  { version: 'v2.11.1', configSecret: { name: 'capa-variables', namespace: 'capa-system' }, ...spec });
const secrets = { 'capa-system/capa-variables': { AWS_B64ENCODED_CREDENTIALS: 'Cg==' } };

describe('healthcheck (TestReconcilerReadyConditions)', () => {
  const installed = () => reconcileProvider(core(), { providers: [], releases }, NOW);
  test.each(['True', 'False'] as const)('Ready follows the Deployment Available=%s', (status) => {
    const p = healthCheck(installed(), { available: { status } }, LATER);
    expect(cond(p, 'Ready')).toEqual({ type: 'Ready', status, observedGeneration: 1, lastTransitionTime: LATER, reason: 'DeploymentAvailable', message: '' });
  });

  test('a Deployment without Available condition', () => {
    expect(cond(healthCheck(installed(), {}, LATER), 'Ready')).toMatchObject({
      status: 'False', reason: 'NoDeploymentAvailableConditionReason', message: 'No minimum availability condition found on the provider deployment',
    });
  });

  test('nothing before ProviderInstalled is True; nothing when already in sync', () => {
    const fresh = core();
    expect(healthCheck(fresh, { available: { status: 'True' } }, LATER)).toEqual(fresh);
    const ready = healthCheck(installed(), { available: { status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' } }, NOW);
    expect(cond(ready, 'Ready')).toMatchObject({ reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(healthCheck(ready, { available: { status: 'True', reason: 'Other' } }, LATER)).toEqual(ready);
  });
});

describe('reconcile (genericprovider_controller.go, phases)', () => {
  test('the first reconcile only adds the finalizer (and observedGeneration)', () => {
    const out = reconcileOnce(core(), { providers: [], releases }, NOW);
    expect(out.phase).toBe('AddFinalizer');
    expect(out.provider.metadata.finalizers).toEqual([PROVIDER_FINALIZER]);
    expect(out.provider.status).toEqual({ observedGeneration: 1 });
  });

  test('TestNormalizeExistingConditions: an empty reason becomes the type', () => {
    const p = core();
    p.status = { conditions: [{ type: 'PreflightCheckPassed', status: 'True', lastTransitionTime: NOW, reason: '', message: '' }] };
    expect(cond(reconcileOnce(p, { providers: [] }, NOW).provider, 'PreflightCheckPassed')?.reason).toBe('PreflightCheckPassed');
    p.status = { conditions: [{ type: 'PreflightCheckPassed', status: 'True', lastTransitionTime: NOW, reason: 'CustomReason', message: '' }] };
    expect(cond(reconcileOnce(p, { providers: [] }, NOW).provider, 'PreflightCheckPassed')?.reason).toBe('CustomReason');
  });

  test('bootstrapping a management cluster: CoreProvider, then the InfrastructureProvider once the core is Ready', () => {
    let capi = reconcileProvider(core(), { providers: [], releases }, NOW);
    expect(capi.status).toEqual({
      conditions: [
        { type: 'PreflightCheckPassed', status: 'True', observedGeneration: 1, lastTransitionTime: NOW, reason: 'PreflightChecksPassed', message: 'All preflight checks passed' },
        { type: 'ProviderInstalled', status: 'True', observedGeneration: 1, lastTransitionTime: NOW, reason: 'ProviderInstalled', message: 'Provider installed successfully' },
      ],
      contract: 'v1beta2',
      installedVersion: 'v1.14.0',
      observedGeneration: 1,
    });
    expect(providerDeployment(capi)).toEqual({ name: 'capi-controller-manager', namespace: 'capi-system' });

    // CAPA waits (no error, observedGeneration still written) while the core is not Ready.
    let aws = reconcileProvider(capa(), { providers: [capi], releases, secrets }, NOW);
    expect(aws.status).toEqual({
      conditions: [{
        type: 'PreflightCheckPassed',
        status: 'False',
        observedGeneration: 1,
        lastTransitionTime: NOW,
        reason: 'WaitingForCoreProviderReady',
        message: 'Waiting for the CoreProvider to be installed.',
      }],
      observedGeneration: 1,
    });

    capi = reconcileProvider(capi, { providers: [], releases, deployment: { available: { status: 'True', reason: 'MinimumReplicasAvailable' } } }, LATER);
    expect(cond(capi, 'Ready')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(capi.status).toMatchObject({ installedVersion: 'v1.14.0', contract: 'v1beta2' });

    aws = reconcileProvider(aws, { providers: [capi], releases, secrets, deployment: { available: { status: 'False', reason: 'MinimumReplicasUnavailable' } } }, LATER);
    expect(conditions(aws).map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'False', 'MinimumReplicasUnavailable'],
      ['PreflightCheckPassed', 'True', 'PreflightChecksPassed'],
      ['ProviderInstalled', 'True', 'ProviderInstalled'],
    ]);
    expect(aws.status).toMatchObject({ contract: 'v1beta1', installedVersion: 'v2.11.1', observedGeneration: 1 });
    expect(providerDeployment(aws)).toEqual({ name: 'capa-controller-manager', namespace: 'capa-system' });

    // Nothing changed: ApplyFromCache completes the reconcile, the status stays as it is.
    expect(reconcileOnce(aws, { providers: [capi], releases, secrets }, '2026-12-02T00:00:00Z')).toMatchObject({ phase: 'ApplyFromCache', provider: aws });
  });

  test('CAPA without AWS_B64ENCODED_CREDENTIALS: clusterctl refuses the components', () => {
    const readyCore = healthCheck(reconcileProvider(core(), { providers: [], releases }, NOW), { available: { status: 'True' } }, NOW);
    const out = reconcileOnce(reconcileOnce(capa({ configSecret: undefined }), { providers: [readyCore], releases }, NOW).provider,
      { providers: [readyCore], releases }, NOW);
    expect(out.error).toBeDefined();
    expect(cond(out.provider, 'ProviderInstalled')).toEqual({
      type: 'ProviderInstalled',
      status: 'False',
      observedGeneration: 1,
      lastTransitionTime: NOW,
      reason: 'ComponentsFetchError',
      message: 'failed to perform variable substitution: value for variables [AWS_B64ENCODED_CREDENTIALS] is not set. '
        + 'Please set the value using os environment variables or the clusterctl config file',
    });
    // The reconcile failed: observedGeneration is the one the finalizer reconcile wrote, it does not advance.
    const bumped = { ...out.provider, metadata: { ...out.provider.metadata, generation: 2 } };
    expect(reconcileOnce(bumped, { providers: [readyCore], releases }, NOW).provider.status).toMatchObject({ observedGeneration: 1 });
  });

  test('a configSecret that does not exist: an error, no condition', () => {
    const out = reconcileOnce(reconcileOnce(core(), { providers: [] }, NOW).provider, { providers: [], releases }, NOW);
    const withSecret = providerObject('CoreProvider', 'cluster-api', 'capi-system', { version: 'v1.14.0', configSecret: { name: 'nope', namespace: 'capi-system' } });
    const missing = reconcileOnce(reconcileOnce(withSecret, { providers: [] }, NOW).provider, { providers: [], releases }, NOW);
    expect(out.error).toBeUndefined();
    expect(missing.error).toBe('failed to get providers secret: secrets "nope" not found');
    expect(conditions(missing.provider)).toEqual([]);
  });

  test('fetching from GitHub fails', () => {
    const p = reconcileProvider(core(), { providers: [], releases, fetchError: 'rate limit exceeded' }, NOW);
    expect(cond(p, 'ProviderInstalled')).toMatchObject({
      status: 'False',
      reason: 'ComponentsFetchError',
      message: 'failed to create config map for provider "cluster-api": failed to read metadata.yaml from the repository for provider "cluster-api": rate limit exceeded',
    });
    expect(p.status).not.toHaveProperty('installedVersion');
  });

  test('a version outside the metadata release series: CAPIVersionIncompatibility', () => {
    const p = reconcileProvider(providerObject('CoreProvider', 'cluster-api', 'capi-system', { version: 'v1.15.0' }),
      { providers: [], releases: { [releaseKey('CoreProvider', 'cluster-api', 'v1.15.0')]: CAPI_V1_14_0_RELEASE } }, NOW);
    expect(cond(p, 'ProviderInstalled')).toMatchObject({
      status: 'False',
      reason: 'CAPIVersionIncompatibility',
      message: 'invalid provider metadata: version v1.15.0 for the provider cluster-api does not match any release series',
    });
  });

  test('upgrading CAPA v2.10.0 to v2.11.1 (v1beta1 under a v1beta2 core): ProviderUpgraded', () => {
    const readyCore = healthCheck(reconcileProvider(core(), { providers: [], releases }, NOW), { available: { status: 'True' } }, NOW);
    const old = reconcileProvider(capa({ version: 'v2.10.0' }), { providers: [readyCore], releases, secrets }, NOW);
    expect(old.status).toMatchObject({ installedVersion: 'v2.10.0' });
    const bumped = { ...old, metadata: { ...old.metadata, generation: 2 }, spec: { ...(old.spec as object), version: 'v2.11.1' } };
    const up = reconcileProvider(bumped, { providers: [readyCore, old], releases, secrets }, LATER);
    expect(cond(up, 'ProviderUpgraded')).toEqual({
      type: 'ProviderUpgraded', status: 'True', observedGeneration: 2, lastTransitionTime: LATER, reason: 'ProviderUpgraded', message: 'Provider upgraded successfully',
    });
    expect(up.status).toMatchObject({ installedVersion: 'v2.11.1', contract: 'v1beta1', observedGeneration: 2 });
    // Install is skipped on an upgrade: ProviderInstalled keeps the generation it was written at.
    expect(cond(up, 'ProviderInstalled')).toMatchObject({ status: 'True', lastTransitionTime: NOW, observedGeneration: 1 });
  });

  test('downgrading CAPA v2.11.1 to v2.10.0 is refused by the preflight checks', () => {
    const readyCore = healthCheck(reconcileProvider(core(), { providers: [], releases }, NOW), { available: { status: 'True' } }, NOW);
    const installed = reconcileProvider(capa(), { providers: [readyCore], releases, secrets }, NOW);
    const down = { ...installed, metadata: { ...installed.metadata, generation: 2 }, spec: { ...(installed.spec as object), version: 'v2.10.0' } };
    const out = reconcileOnce(down, { providers: [readyCore, installed], releases, secrets }, LATER);
    expect(out.error).toBe('Downgrade is not supported for provider %s');
    expect(cond(out.provider, 'PreflightCheckPassed')).toMatchObject({ status: 'False', reason: 'UnsupportedProviderDowngradeReason' });
    expect(out.provider.status).toMatchObject({ installedVersion: 'v2.11.1', observedGeneration: 1 });
  });
});
