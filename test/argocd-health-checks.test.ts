/**
 * The `argocd-cm` health checks of src/management/argocd-health-checks.ts, run in a real Lua VM the way Argo CD v3.5.1
 * runs them (argoproj/argo-cd v3.5.1 `util/lua/lua.go` `runLuaWithResourceActionParameters` + `ExecuteHealthLua`):
 * a state with only the `package`, base, `table` and a "safe" `os` (time/date) library, the live object as the global
 * `obj` (`decodeValue`), the value left on top of the stack read as `{status, message}` (a table; nil is an empty
 * health; a status outside the six codes is Unknown "Lua returned an invalid health status").
 *
 * The VM is fengari 0.1.5 (Lua 5.3 in JavaScript): Argo CD's gopher-lua is Lua 5.1, and no npm package runs 5.1, so
 * `LUA51_ONLY` rejects the 5.2+ syntax and library the scripts could otherwise use unnoticed here, and numbers that are
 * whole are pushed as integers so `..` formats them as gopher-lua does ("3", not "3.0"). fengari's integers are 32-bit;
 * larger whole numbers are pushed as floats.
 *
 * Objects are shaped as their controllers write them: AWSManagedMachinePool by the CAPA v2.11.1 ports of
 * test/upstream/status/capa-nodegroup-status.ts; operator providers per cluster-api-operator v0.28.0
 * `internal/controller/preflight_checks.go`, `genericprovider_controller.go`, `phase_lifecycle.go`, `phase_fetch.go`
 * and `healthcheck/healthcheck_controller.go`. Expectations are tables like Argo CD's `health_test.yaml`.
 */

import { executeHealthLua } from './support/argocd-lua';
import {
  ARGOCD_HEALTH_CHECKS, AWS_MANAGED_CLUSTER_HEALTH_LUA, AWS_MANAGED_MACHINE_POOL_HEALTH_LUA, OPERATOR_PROVIDER_HEALTH_LUA, argoCdHealthCheckKey,
} from '../src/management/argocd-health-checks';
import { awsManagedControlPlaneHealth, machinePoolHealth } from './upstream/status/argocd-application-status';
import { ensureV1Beta1Paused } from './upstream/status/capa-controlplane-status';
import { reconcileNodegroupPass, setNodegroupStatus, type EksNodegroup, type NodegroupStatus } from './upstream/status/capa-nodegroup-status';
import { markFalse, type V1Beta1Condition } from './upstream/status/v1beta1-conditions';
import type { KubeObject } from '../src/kube/types';


/** Syntax and library of Lua 5.2+ that gopher-lua (5.1) does not have, and libraries Argo CD does not open. */
const LUA51_ONLY: ReadonlyArray<[string, RegExp]> = [
  ['goto/labels', /\bgoto\b|::/],
  ['integer division', /\/\//],
  ['bitwise operators', /[&|]|~(?!=)|<<|>>/],
  ['5.2+ library', /\b(table\.(unpack|pack|move)|utf8\.|rawlen|load\s*\(|setmetatable|coroutine\.)/],
  ['libraries Argo CD does not open', /\b(string|math|io|debug)\.|:\w+\s*\(/],
];

/** The code with comments and string literals blanked (enough for these scripts: no long strings). */
const codeOnly = (script: string) => script.replace(/--[^\n]*/g, '').replace(/"(?:[^"\\\n]|\\.)*"/g, '""');

// ---------------------------------------------------------------------------------------------------------------
// Argo CD's own checks, verbatim (v3.5.1), to check the harness against the existing TypeScript ports.

/** `resource_customizations/controlplane.cluster.x-k8s.io/AWSManagedControlPlane/health.lua` at v3.5.1. */
const UPSTREAM_AWS_MANAGED_CONTROL_PLANE = `local health_status = {
    status = "Progressing",
    message = "Provisioning..."
}

-- If .status is nil or doesn't have conditions, then the control plane is not ready
if obj.status == nil or obj.status.conditions == nil then
    return health_status
end

-- Accumulator for the error messages (could be multiple conditions in error state)
err_msg = ""

-- Iterate over the conditions to determine the health status
for i, condition in ipairs(obj.status.conditions) do
    -- Check if the Ready condition is True, then the control plane is ready
    if condition.type == "Ready" and condition.status == "True" then
        health_status.status = "Healthy"
        health_status.message = "Control plane is ready"
        return health_status
    end

    -- If we have a condition that is False and has an Error severity, then the control plane is in a degraded state
    if condition.status == "False" and condition.severity == "Error" then
        health_status.status = "Degraded"
        err_msg = err_msg .. condition.message .. " "
    end
end

-- If we have any error conditions, then the control plane is in a degraded state
if health_status.status == "Degraded" then
    health_status.message = err_msg
    return health_status
end

-- If .status.ready is False, then the control plane is not ready
if obj.status.ready == false then
    health_status.status = "Progressing"
    health_status.message = "Control plane is not ready (.status.ready is false)"
    return health_status
end

-- If we reach this point, then the control plane is not ready and we don't have any error conditions
health_status.status = "Progressing"
health_status.message = "Control plane is not ready"

return health_status
`;

/** `resource_customizations/cluster.x-k8s.io/MachinePool/health.lua` at v3.5.1 (reference comments left out). */
const UPSTREAM_MACHINE_POOL = `function getStatusBasedOnPhase(obj, hs)
    if obj.status ~= nil and obj.status.phase ~= nil then
        hs.message = "MachinePool is " .. obj.status.phase
        if obj.status.phase == "Running" or obj.status.phase == "Scaling" then
            hs.status = "Healthy"
        end
        if obj.status.phase == "Failed" or obj.status.phase == "Unknown"  then
            hs.status = "Degraded"
        end
    end
    return hs
end

function getConditionStatuses(obj, hs)
    local extraInfo = ""
    if obj.status ~= nil and obj.status.conditions ~= nil then
        for i, condition in ipairs(obj.status.conditions) do
            if condition.type ~= nil and condition.status == "False" then
                if extraInfo ~= "" then
                    extraInfo = extraInfo .. ", "
                end
                extraInfo = extraInfo .. "Not " .. condition.type
                if condition.reason ~= nil then
                    extraInfo = extraInfo .. " (" .. condition.reason .. ")"
                end
            end
        end
    end
    if extraInfo ~= "" then
        hs.message = hs.message .. ": " .. extraInfo
    end

    return hs
end

local hs = {}
hs.status = "Progressing"
hs.message = ""

getStatusBasedOnPhase(obj, hs)
getConditionStatuses(obj, hs)

return hs
`;

// ---------------------------------------------------------------------------------------------------------------
// Argo CD's key format (argoproj/argo-cd v3.5.1 `util/settings/settings.go`).

/** `appendResourceOverridesFromSplitKeys` + `convertToOverrideKey` for one `argocd-cm` key: its type and group/kind key. */
function parseCustomizationKey(key: string): { type: string; overrideKey: string } | undefined {
  if (!key.startsWith('resource.customizations')) {
    return undefined;
  }
  // strings.SplitN(k, ".", 4)
  const all = key.split('.');
  const parts = all.length > 4 ? [...all.slice(0, 3), all.slice(3).join('.')] : all;
  if (parts.length < 4) {
    return undefined;
  }
  const groupKind = parts[3].split('_');
  let overrideKey: string;
  if (groupKind.length === 2) {
    overrideKey = `${groupKind[0]}/${groupKind[1]}`;
  } else if (groupKind.length === 1 && parts[3] !== '') {
    overrideKey = parts[3];
  } else {
    throw new Error(`group kind should be in format \`resource.customizations.<type>.<group_kind>\`, got group kind: '${parts[3]}'`);
  }
  return { type: parts[2], overrideKey: overrideKey === 'all' ? '*/*' : overrideKey };
}

/** `util/lua/lua.go` `GetConfigMapKey`. */
const getConfigMapKey = (group: string, kind: string) => (group === '' ? kind : `${group}/${kind}`);

/**
 * The health.lua folders of `resource_customizations/` at v3.5.1 for `*.x-k8s.io` groups, and its wildcard folders
 * (`_` is `*`, `getGlobHealthScriptPaths`), from `git ls-tree -r --name-only v3.5.1 -- resource_customizations`.
 */
const BUILT_IN_X_K8S = ['addons.cluster.x-k8s.io/ClusterResourceSet', 'cluster.x-k8s.io/Cluster', 'cluster.x-k8s.io/Machine',
  'cluster.x-k8s.io/MachineDeployment', 'cluster.x-k8s.io/MachineHealthCheck', 'cluster.x-k8s.io/MachinePool',
  'controlplane.cluster.x-k8s.io/AWSManagedControlPlane'];
const BUILT_IN_WILDCARDS = ['_.cnrm.cloud.google.com/_', '_.crossplane.io/_', '_.upbound.io/_', 'grafana-org-operator.kubitus-project.gitlab.io/_',
  'operator.victoriametrics.com/_'];
const globMatch = (pattern: string, s: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/_/g, '.*')}$`).test(s);

// ---------------------------------------------------------------------------------------------------------------
// Objects.

const NOW = '2026-12-01T10:00:00Z';
const NOT_PAUSED: V1Beta1Condition = { type: 'Paused', status: 'False', lastTransitionTime: NOW, reason: 'NotPaused' };

const ng = (status: NodegroupStatus, extra: Partial<EksNodegroup> = {}): EksNodegroup => ({
  status,
  version: '1.33',
  desiredSize: 2,
  minSize: 1,
  maxSize: 4,
  instances: [{ id: 'i-1', zone: 'eu-west-1a' }, { id: 'i-2', zone: 'eu-west-1b' }],
  hasAutoScalingGroup: true,
  ...extra,
});
const mmp = (status?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
  kind: 'AWSManagedMachinePool',
  metadata: { name: 'a-general', namespace: 'a', generation: 1 },
  spec: { eksNodegroupName: 'a-general', scaling: { minSize: 1, maxSize: 4 } },
  ...(status === undefined ? {} : { status }),
});
const mp = (version = 'v1.33.0'): KubeObject => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'MachinePool',
  metadata: { name: 'a-general', namespace: 'a' },
  spec: { replicas: 2, template: { spec: { version } } },
});
const controlPlane = (ready: boolean): KubeObject => ({
  apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
  kind: 'AWSManagedControlPlane',
  metadata: { name: 'a-control-plane', namespace: 'a', generation: 1 },
  spec: { eksClusterName: 'a', region: 'eu-west-1', version: 'v1.33' },
  status: { ready },
});
type PassOptions = { version?: string; waitTimedOut?: boolean; refusal?: string; cpReady?: boolean };
const pass = (pool: KubeObject, nodegroup: EksNodegroup | undefined, o: PassOptions = {}) =>
  reconcileNodegroupPass({
    managedMachinePool: pool,
    machinePool: mp(o.version),
    controlPlane: controlPlane(o.cpReady ?? true),
    nodegroup,
    waitTimedOut: o.waitTimedOut,
    versionUpdateRefusal: o.refusal,
    now: NOW,
  }).managedMachinePool;
const fresh = () => mmp({ conditions: [NOT_PAUSED] });
const active = () => pass(fresh(), ng('ACTIVE'));

type Cond = { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string; lastTransitionTime?: string; observedGeneration?: number };
const cond = (type: string, status: Cond['status'], reason: string, message: string): Cond =>
  ({ type, status, reason, message, lastTransitionTime: NOW, observedGeneration: 1 });
/** `preflightChecks` success. */
const PREFLIGHT_OK = cond('PreflightCheckPassed', 'True', 'PreflightChecksPassed', 'All preflight checks passed');
/** `Install` success. */
const INSTALLED = cond('ProviderInstalled', 'True', 'ProviderInstalled', 'Provider installed successfully');
/** `healthcheck_controller.go`: the Deployment's Available condition mirrored. */
const READY = cond('Ready', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.');
const provider = (kind: 'CoreProvider' | 'InfrastructureProvider', version: string,
  status?: { conditions?: Cond[]; installedVersion?: string; observedGeneration?: number; contract?: string }, generation = 1): KubeObject => ({
  apiVersion: 'operator.cluster.x-k8s.io/v1alpha2',
  kind,
  metadata: { name: kind === 'CoreProvider' ? 'cluster-api' : 'aws', namespace: kind === 'CoreProvider' ? 'capi-system' : 'capa-system', generation },
  spec: { version },
  ...(status === undefined ? {} : { status }),
});

// ---------------------------------------------------------------------------------------------------------------

describe('argocd-cm keys', () => {
  test('the four checks, keyed as Argo CD v3.5.1 reads them', () => {
    expect(Object.keys(ARGOCD_HEALTH_CHECKS).sort()).toEqual([
      'resource.customizations.health.infrastructure.cluster.x-k8s.io_AWSManagedCluster',
      'resource.customizations.health.infrastructure.cluster.x-k8s.io_AWSManagedMachinePool',
      'resource.customizations.health.operator.cluster.x-k8s.io_CoreProvider',
      'resource.customizations.health.operator.cluster.x-k8s.io_InfrastructureProvider',
    ]);
    expect(Object.isFrozen(ARGOCD_HEALTH_CHECKS)).toBe(true);
  });

  test.each([
    ['infrastructure.cluster.x-k8s.io', 'AWSManagedMachinePool'],
    ['infrastructure.cluster.x-k8s.io', 'AWSManagedCluster'],
    ['operator.cluster.x-k8s.io', 'CoreProvider'],
    ['operator.cluster.x-k8s.io', 'InfrastructureProvider'],
  ])('%s/%s: the settings parser yields the key GetConfigMapKey looks up; no built-in check exists', (group, kind) => {
    const key = argoCdHealthCheckKey(group, kind);
    expect(parseCustomizationKey(key)).toEqual({ type: 'health', overrideKey: getConfigMapKey(group, kind) });
    expect(ARGOCD_HEALTH_CHECKS[key]).toBeDefined();
    expect(BUILT_IN_X_K8S).not.toContain(getConfigMapKey(group, kind));
    expect(BUILT_IN_WILDCARDS.filter((w) => globMatch(w, getConfigMapKey(group, kind)))).toEqual([]);
  });

  test('the parser and glob reproduce upstream examples (docs/operator-manual/health.md, settings_test.go)', () => {
    expect(parseCustomizationKey('resource.customizations.health.cert-manager.io_Certificate')).toEqual({ type: 'health', overrideKey: 'cert-manager.io/Certificate' });
    expect(parseCustomizationKey('resource.customizations.health.Certificate')).toEqual({ type: 'health', overrideKey: 'Certificate' });
    expect(parseCustomizationKey('resource.customizations.useOpenLibs.all')).toEqual({ type: 'useOpenLibs', overrideKey: '*/*' });
    expect(() => parseCustomizationKey('resource.customizations.health.a_b_c')).toThrow(/group kind should be in format/);
    expect(globMatch('_.crossplane.io/_', 'pkg.crossplane.io/Provider')).toBe(true);
    expect(argoCdHealthCheckKey('', 'Pod')).toBe('resource.customizations.health.Pod');
    expect(() => argoCdHealthCheckKey('a_b.io', 'Kind')).toThrow();
  });
});

describe('the scripts are Lua 5.1 within the libraries Argo CD opens', () => {
  test.each(Object.entries(ARGOCD_HEALTH_CHECKS))('%s', (_, script) => {
    const code = codeOnly(script);
    for (const [what, pattern] of LUA51_ONLY) {
      expect([what, pattern.exec(code)?.[0]]).toEqual([what, undefined]);
    }
    // No globals leak: every assignment at column 0 is `local` (gopher-lua shares nothing between runs, but still).
    expect(code.split('\n').filter((l) => /^[A-Za-z_]\w*\s*=/.test(l))).toEqual([]);
  });

  test('the harness: no string or math library, Lua errors are reported, nil is an empty health, bad status is Unknown', () => {
    expect(executeHealthLua({}, 'return { status = string.upper("x") }').error).toMatch(/string/);
    expect(executeHealthLua({}, 'return { status = math.max(1, 2) }').error).toMatch(/math/);
    expect(executeHealthLua({}, 'return { status = ("x"):upper() }').error).toBeDefined();
    expect(executeHealthLua({}, 'os.exit(1)').error).toMatch(/exit/);
    expect(executeHealthLua({}, 'return nil')).toEqual({});
    expect(executeHealthLua({}, 'return "Healthy"').error).toMatch(/expect table output/);
    expect(executeHealthLua({}, 'return { status = "Fine" }')).toEqual({ status: 'Unknown', message: 'Lua returned an invalid health status' });
    const list = 'local b = obj.a.b return { status = "Healthy", message = #b .. " " .. b[1] .. " " .. b[2] .. " " .. b[3] }';
    expect(executeHealthLua({ a: { b: [1, 2.5, 'x', true] } }, list))
      .toEqual({ status: 'Healthy', message: '4 1 2.5 x' });
    expect(typeof executeHealthLua({}, 'return { status = "Healthy", message = "" .. os.time() }').message).toBe('string');
  });

  test('the harness agrees with the TypeScript ports of Argo CD\'s own checks', () => {
    const cps: KubeObject[] = [
      { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'AWSManagedControlPlane', metadata: { name: 'a' } },
      { ...controlPlane(false), status: { ready: false, conditions: [NOT_PAUSED] } },
      { ...controlPlane(true), status: { ready: true, conditions: [{ type: 'Ready', status: 'True' }] } },
      { ...controlPlane(false), status: { conditions: markFalse([], 'EKSControlPlaneReady', 'EKSControlPlaneReconciliationFailed', 'Error', 'boom', NOW) } },
    ];
    for (const cp of cps) {
      expect(executeHealthLua(cp, UPSTREAM_AWS_MANAGED_CONTROL_PLANE)).toEqual(awsManagedControlPlaneHealth(cp));
    }
    // The upstream script raises on a False/Error condition without a message (v1beta1 omits an empty one).
    const noMessage = { ...controlPlane(false), status: { conditions: markFalse([], 'LaunchTemplateReady', 'LaunchTemplateReconcileFailed', 'Error', '', NOW) } };
    expect(executeHealthLua(noMessage, UPSTREAM_AWS_MANAGED_CONTROL_PLANE).error).toMatch(/concatenate a nil value/);
    const pools: KubeObject[] = [
      { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachinePool', metadata: { name: 'a' } },
      { ...mp(), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      { ...mp(), status: { phase: 'ScalingUp', conditions: [{ type: 'Ready', status: 'False', reason: 'X' }, { type: 'Available', status: 'False' }] } },
      { ...mp(), status: { phase: 'Failed' } },
    ];
    for (const pool of pools) {
      expect(executeHealthLua(pool, UPSTREAM_MACHINE_POOL)).toEqual(machinePoolHealth(pool));
    }
  });
});

describe('AWSManagedMachinePool (CAPA v2.11.1 statuses)', () => {
  const run = (obj: KubeObject) => executeHealthLua(obj, AWS_MANAGED_MACHINE_POOL_HEALTH_LUA);
  const check = ARGOCD_HEALTH_CHECKS['resource.customizations.health.infrastructure.cluster.x-k8s.io_AWSManagedMachinePool'];

  test('the argocd-cm entry is this script', () => {
    expect(check).toBe(AWS_MANAGED_MACHINE_POOL_HEALTH_LUA);
  });

  const paused = () => {
    const pool = active();
    ensureV1Beta1Paused(pool, true, NOW);
    return pool;
  };
  const withFailureReason = () => {
    const pool = pass(fresh(), ng('CREATE_FAILED', { instances: [] }));
    (pool.status as Record<string, unknown>).failureReason = 'InsufficientCapacity';
    return pool;
  };
  const launchTemplateFailed = () => {
    const pool = active();
    const s = pool.status as { conditions: V1Beta1Condition[] };
    // `reconcileNormal`: LaunchTemplateReady False/LaunchTemplateReconcileFailed/Error, no message (omitted when empty).
    s.conditions = markFalse(s.conditions, 'LaunchTemplateReady', 'LaunchTemplateReconcileFailed', 'Error', '', NOW);
    return pool;
  };
  const readyButWarning = () => {
    const pool = active();
    const s = pool.status as { conditions: V1Beta1Condition[] };
    s.conditions = s.conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', reason: 'LaunchTemplateNotFound', severity: 'Warning', message: '2 of 3 completed' } : c));
    return pool;
  };

  test.each<[string, () => KubeObject, { status: string; message: string }]>([
    ['no status yet (CAPA has not reconciled it)', () => mmp(), { status: 'Progressing', message: 'Waiting for the EKS node group' }],
    ['control plane not ready: only Paused=False, ready false, replicas 0 stored', () => pass(fresh(), undefined, { cpReady: false }),
      { status: 'Progressing', message: 'EKS node group is not ready (.status.ready is false)' }],
    ['CreateNodegroup called, CREATING (blocked, no Ready summary yet)', () => pass(fresh(), undefined),
      { status: 'Progressing', message: 'EKS node group is not ready (.status.ready is false)' }],
    ['ACTIVE', active, { status: 'Healthy', message: 'EKS node group is ready (2 replicas)' }],
    ['UPDATING after a version update (ready stays true)', () => pass(active(), ng('UPDATING'), { version: 'v1.34.0' }),
      { status: 'Healthy', message: 'EKS node group is ready (2 replicas)' }],
    ['CREATE_FAILED: failureMessage', () => pass(fresh(), ng('CREATE_FAILED', { instances: [] })),
      { status: 'Degraded', message: 'EKS nodegroup in failed CREATE_FAILED status' }],
    ['CREATE_FAILED with a failureReason (not written by v2.11.1, shown when present)', withFailureReason,
      { status: 'Degraded', message: 'InsufficientCapacity: EKS nodegroup in failed CREATE_FAILED status' }],
    ['DEGRADED: EKSNodegroupReady False/Error, ready still true', () => pass(active(), ng('DEGRADED')),
      { status: 'Degraded', message: 'EKSNodegroupReady (EKSNodegroupReconciliationFailed): failed to set status: unexpected EKS nodegroup status DEGRADED' }],
    ['EKS refuses the version update', () => pass(active(), ng('ACTIVE'), { version: 'v1.34.0', refusal: 'InvalidParameterException: bad' }),
      {
        status: 'Degraded',
        message: 'EKSNodegroupReady (EKSNodegroupReconciliationFailed): failed to reconcile nodegroup version: failed to update EKS nodegroup: InvalidParameterException: bad',
      }],
    ['launch template failure without a message (the upstream AWSManagedControlPlane check would raise)', launchTemplateFailed,
      { status: 'Degraded', message: 'LaunchTemplateReady (LaunchTemplateReconcileFailed)' }],
    ['Ready False with a Warning: progressing', readyButWarning,
      { status: 'Progressing', message: 'EKS node group is not ready: Ready (LaunchTemplateNotFound): 2 of 3 completed' }],
    ['paused (Cluster spec.paused)', paused, { status: 'Suspended', message: 'Reconciliation is paused: Cluster spec.paused is set to true' }],
  ])('%s', (_, make, expected) => {
    expect(run(make())).toEqual(expected);
  });

  test.each<[NodegroupStatus, string]>([
    ['CREATING', 'Progressing'], ['ACTIVE', 'Healthy'], ['UPDATING', 'Healthy'], ['DELETING', 'Progressing'],
    ['CREATE_FAILED', 'Degraded'], ['DELETE_FAILED', 'Degraded'],
  ])('setStatus %s alone', (status, health) => {
    const pool = fresh();
    expect(setNodegroupStatus(pool, ng(status))).toBeUndefined();
    expect(run(pool).status).toBe(health);
  });

  test('a node group recovering from DEGRADED to ACTIVE is Healthy again', () => {
    expect(run(pass(pass(active(), ng('DEGRADED')), ng('ACTIVE')))).toEqual({ status: 'Healthy', message: 'EKS node group is ready (2 replicas)' });
  });
});

describe('AWSManagedCluster (CAPA v2.11.1 statuses)', () => {
  const run = (obj: KubeObject) => executeHealthLua(obj, AWS_MANAGED_CLUSTER_HEALTH_LUA);
  const cluster = (status?: Record<string, unknown>): KubeObject => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedCluster',
    metadata: { name: 'a', namespace: 'a' },
    spec: {},
    ...(status === undefined ? {} : { status }),
  });
  const pausedCluster = () => {
    const c = cluster({});
    ensureV1Beta1Paused(c, false, NOW);
    c.metadata.annotations = { 'cluster.x-k8s.io/paused': '' };
    ensureV1Beta1Paused(c, false, NOW);
    return c;
  };

  test.each<[string, () => KubeObject, { status: string; message: string }]>([
    ['no status', () => cluster(), { status: 'Progressing', message: 'Waiting for the AWSManagedControlPlane of the Cluster' }],
    ['Paused=False written, ready omitted (false)', () => cluster({ conditions: [NOT_PAUSED] }),
      { status: 'Progressing', message: 'Waiting for the AWSManagedControlPlane of the Cluster' }],
    ['ready with failure domains', () => cluster({ ready: true, conditions: [NOT_PAUSED], failureDomains: { 'eu-west-1a': { controlPlane: true } } }),
      { status: 'Healthy', message: 'Cluster infrastructure is ready' }],
    ['paused by annotation', pausedCluster, { status: 'Suspended', message: 'Reconciliation is paused: AWSManagedCluster has the cluster.x-k8s.io/paused annotation' }],
    ['a failureMessage (no such field in v2.11.1; future-proof)', () => cluster({ ready: true, failureReason: 'X', failureMessage: 'y' }), { status: 'Degraded', message: 'X: y' }],
  ])('%s', (_, make, expected) => {
    expect(run(make())).toEqual(expected);
  });
});

describe('CoreProvider / InfrastructureProvider (cluster-api-operator v0.28.0 statuses)', () => {
  test('both kinds use the same script', () => {
    expect(ARGOCD_HEALTH_CHECKS['resource.customizations.health.operator.cluster.x-k8s.io_CoreProvider']).toBe(OPERATOR_PROVIDER_HEALTH_LUA);
    expect(ARGOCD_HEALTH_CHECKS['resource.customizations.health.operator.cluster.x-k8s.io_InfrastructureProvider']).toBe(OPERATOR_PROVIDER_HEALTH_LUA);
  });

  const infra = (status?: Parameters<typeof provider>[2], generation?: number) => provider('InfrastructureProvider', 'v2.11.1', status, generation);
  const core = (status?: Parameters<typeof provider>[2], generation?: number) => provider('CoreProvider', 'v1.14.0', status, generation);

  test.each<[string, () => KubeObject, { status: string; message: string }]>([
    ['no status: the finalizer pass has not run', () => core(), { status: 'Progressing', message: 'Waiting for the cluster-api-operator' }],
    ['finalizer added (observedGeneration only)', () => core({ observedGeneration: 1 }), { status: 'Progressing', message: 'Installing v1.14.0' }],
    ['preflight passed, components being fetched', () => core({ conditions: [PREFLIGHT_OK], observedGeneration: 1 }),
      { status: 'Progressing', message: 'Installing v1.14.0' }],
    ['infrastructure provider waiting for the core provider (transient)', () => infra({
      conditions: [cond('PreflightCheckPassed', 'False', 'WaitingForCoreProviderReady', 'Waiting for the CoreProvider to be installed.')], observedGeneration: 1,
    }), { status: 'Progressing', message: 'PreflightCheckPassed (WaitingForCoreProviderReady): Waiting for the CoreProvider to be installed.' }],
    ['components fetch error (retried)', () => core({
      conditions: [PREFLIGHT_OK, cond('ProviderInstalled', 'False', 'ComponentsFetchError', 'failed to read "components.yaml": 404')],
    }), { status: 'Progressing', message: 'ProviderInstalled (ComponentsFetchError): failed to read "components.yaml": 404' }],
    ['installed, status reported, Deployment not yet seen by the health check', () => core({ conditions: [PREFLIGHT_OK, INSTALLED], installedVersion: 'v1.14.0', observedGeneration: 1, contract: 'v1beta2' }),
      { status: 'Progressing', message: 'Waiting for the provider\'s Deployment to become available' }],
    ['installed, Deployment not available', () => core({
      conditions: [PREFLIGHT_OK, INSTALLED, cond('Ready', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.')],
      installedVersion: 'v1.14.0',
      observedGeneration: 1,
    }), { status: 'Progressing', message: 'Ready (MinimumReplicasUnavailable): Deployment does not have minimum availability.' }],
    ['installed, no Available condition on the Deployment', () => core({
      conditions: [PREFLIGHT_OK, INSTALLED, cond('Ready', 'False', 'NoDeploymentAvailableConditionReason', 'No minimum availability condition found on the provider deployment')],
      installedVersion: 'v1.14.0',
    }), { status: 'Progressing', message: 'Ready (NoDeploymentAvailableConditionReason): No minimum availability condition found on the provider deployment' }],
    ['installed and ready', () => core({ conditions: [PREFLIGHT_OK, INSTALLED, READY], installedVersion: 'v1.14.0', observedGeneration: 1, contract: 'v1beta2' }),
      { status: 'Healthy', message: 'Provider v1.14.0 is installed and ready' }],
    ['infrastructure provider installed and ready', () => infra({ conditions: [PREFLIGHT_OK, INSTALLED, READY], installedVersion: 'v2.11.1', observedGeneration: 1 }),
      { status: 'Healthy', message: 'Provider v2.11.1 is installed and ready' }],
    ['spec.version changed, not yet observed (Ready still True from the old Deployment)', () => infra({
      conditions: [PREFLIGHT_OK, INSTALLED, READY], installedVersion: 'v2.10.0', observedGeneration: 1,
    }, 2), { status: 'Progressing', message: 'Waiting for the cluster-api-operator to observe generation 2' }],
    ['upgrade under way: installedVersion is the old one', () => infra({ conditions: [PREFLIGHT_OK, INSTALLED, READY], installedVersion: 'v2.10.0' }),
      { status: 'Progressing', message: 'Upgrading from v2.10.0 to v2.11.1' }],
    ['upgrade failed (retried)', () => infra({
      conditions: [PREFLIGHT_OK, INSTALLED, READY, cond('ProviderUpgraded', 'False', 'ComponentsUpgradeError', 'timed out')], installedVersion: 'v2.10.0',
    }), { status: 'Progressing', message: 'ProviderUpgraded (ComponentsUpgradeError): timed out' }],
    ['upgraded', () => infra({
      conditions: [PREFLIGHT_OK, INSTALLED, READY, cond('ProviderUpgraded', 'True', 'ProviderUpgraded', 'Provider upgraded successfully')],
      installedVersion: 'v2.11.1',
      observedGeneration: 2,
    }, 2), { status: 'Healthy', message: 'Provider v2.11.1 is installed and ready' }],
    ['no spec.version: the latest is installed', () => ({ ...core({ conditions: [PREFLIGHT_OK, INSTALLED, READY], installedVersion: 'v1.14.0' }), spec: {} }),
      { status: 'Healthy', message: 'Provider v1.14.0 is installed and ready' }],
  ])('%s', (_, make, expected) => {
    expect(executeHealthLua(make(), OPERATOR_PROVIDER_HEALTH_LUA)).toEqual(expected);
  });

  // `preflight_checks.go`: every setPreflightFailed but WaitingForCoreProviderReady, with its message.
  test.each<[string, () => KubeObject, string]>([
    ['IncorrectVersionFormat', () => ({ ...core({ conditions: [cond('PreflightCheckPassed', 'False', 'IncorrectVersionFormat', 'could not parse "1.x" as version')] }), spec: { version: '1.x' } }),
      'could not parse "1.x" as version'],
    ['IncorrectCoreProviderNameReason', () => core({ conditions: [cond('PreflightCheckPassed', 'False', 'IncorrectCoreProviderNameReason', 'Incorrect CoreProvider name: capi. It should be cluster-api')] }),
      'Incorrect CoreProvider name: capi. It should be cluster-api'],
    ['FetchConfigValidationError', () => infra({
      conditions: [cond('PreflightCheckPassed', 'False', 'FetchConfigValidationError', 'Only one of Selector and URL must be provided, not both')],
    }), 'Only one of Selector and URL must be provided, not both'],
    ['MoreThanOneExists (core)', () => core({ conditions: [cond('PreflightCheckPassed', 'False', 'MoreThanOneExists', 'CoreProvider already exists in the cluster. Only one is allowed.')] }),
      'CoreProvider already exists in the cluster. Only one is allowed.'],
    ['MoreThanOneExists (infrastructure)', () => infra({
      conditions: [cond('PreflightCheckPassed', 'False', 'MoreThanOneExists', 'There is already a aws with name capa-system in the cluster. Only one is allowed.')],
    }), 'There is already a aws with name capa-system in the cluster. Only one is allowed.'],
    ['UnsupportedProviderDowngradeReason (installed v2.12.0, spec v2.11.1; Ready still True)', () => infra({
      conditions: [cond('PreflightCheckPassed', 'False', 'UnsupportedProviderDowngradeReason', 'Downgrade is not supported for provider aws'), INSTALLED, READY],
      installedVersion: 'v2.12.0',
      observedGeneration: 1,
    }, 2), 'Downgrade is not supported for provider aws'],
    ['InvalidGithubTokenError', () => infra({
      conditions: [cond('PreflightCheckPassed', 'False', 'InvalidGithubTokenError', 'Invalid github token, please check your github token value and its permissions')],
    }), 'Invalid github token, please check your github token value and its permissions'],
  ])('preflight %s: Degraded with the condition message', (_, make, message) => {
    expect(executeHealthLua(make(), OPERATOR_PROVIDER_HEALTH_LUA)).toEqual({ status: 'Degraded', message });
  });

  test.each(['UnknownProvider', 'CAPIVersionIncompatibility', 'ComponentsCustomizationError', 'ComponentsPatchError', 'ComponentsImageOverrideError'])(
    'ProviderInstalled False/%s (follows from the spec): Degraded', (reason) => {
      const obj = infra({ conditions: [PREFLIGHT_OK, cond('ProviderInstalled', 'False', reason, 'the error')] });
      expect(executeHealthLua(obj, OPERATOR_PROVIDER_HEALTH_LUA)).toEqual({ status: 'Degraded', message: `ProviderInstalled (${reason}): the error` });
    });

  test('a condition without reason or message (normalizeExistingConditions fills only the reason) does not break the script', () => {
    const obj = infra({ conditions: [{ type: 'PreflightCheckPassed', status: 'False', reason: 'PreflightCheckPassed', message: '' }] });
    expect(executeHealthLua(obj, OPERATOR_PROVIDER_HEALTH_LUA)).toEqual({ status: 'Progressing', message: 'PreflightCheckPassed (PreflightCheckPassed)' });
    const bare = infra({ conditions: [{ type: 'Ready', status: 'Unknown' } as Cond, PREFLIGHT_OK, INSTALLED], installedVersion: 'v2.11.1' });
    expect(executeHealthLua(bare, OPERATOR_PROVIDER_HEALTH_LUA)).toEqual({ status: 'Progressing', message: 'Ready' });
  });
});
