/**
 * Argo CD health checks (`argocd-cm` data) for the management-plane kinds Argo CD v3.5.1 has no built-in check for.
 *
 * argoproj/argo-cd v3.5.1 ships `resource_customizations/<group>/<Kind>/health.lua` for `cluster.x-k8s.io` (Cluster,
 * Machine, MachineDeployment, MachineHealthCheck, MachinePool), `addons.cluster.x-k8s.io/ClusterResourceSet` and
 * `controlplane.cluster.x-k8s.io/AWSManagedControlPlane`, but nothing for `infrastructure.cluster.x-k8s.io` nor
 * `operator.cluster.x-k8s.io`, and none of its wildcard folders (`_.cnrm.cloud.google.com/_`, `_.crossplane.io/_`,
 * `_.upbound.io/_`, `grafana-org-operator.kubitus-project.gitlab.io/_`, `operator.victoriametrics.com/_`) matches them
 * (`util/lua/lua.go` `GetHealthScript`/`getWildcardBuiltInHealthOverrideLua`). Without a check a kind has no health at
 * all (`gitops-engine/pkg/health/health.go` `GetResourceHealth`), so an Application would be Healthy while its node
 * group fails.
 *
 * Key format: `resource.customizations.health.<group>_<Kind>` (`util/settings/settings.go`
 * `appendResourceOverridesFromSplitKeys`: `strings.SplitN(key, ".", 4)`, the 4th part split on `_` by
 * `convertToOverrideKey` into `<group>/<Kind>`, the key `util/lua/lua.go` `GetConfigMapKey` looks up; version-less, so
 * one script serves every API version of the kind; docs/operator-manual/health.md "Custom Health Checks"). Overrides
 * in `argocd-cm` are looked up before the built-in scripts (`GetHealthScript`).
 *
 * How Argo CD runs them (`util/lua/lua.go` `runLuaWithResourceActionParameters` + `ExecuteHealthLua`): gopher-lua
 * v1.1.2 (Lua 5.1), with only the `package`, base and `table` libraries and a "safe" `os` (no `string`, no `math`
 * unless `resource.customizations.useOpenLibs.<group>_<Kind>` is true), a 1 s timeout, the live object as the global
 * `obj` (`decodeValue`: JSON numbers become Lua numbers, arrays 1-based tables, null nil), the script's returned
 * table JSON-encoded into `{status, message}`; a status outside Healthy/Progressing/Degraded/Suspended/Missing/Unknown
 * becomes Unknown "Lua returned an invalid health status". Objects being deleted never reach the script (Progressing
 * "Pending deletion"). So these scripts use nothing but `ipairs`, `..`, `#`, `table.insert` and `table.concat`, and
 * never concatenate a field that may be absent (the built-in AWSManagedControlPlane check raises on a False/Error
 * condition without a message, which v1beta1 serialization omits when empty).
 *
 * This file has no imports: the scripts are data the management plane writes into `argocd-cm`.
 */

/** The `argocd-cm` key of a health check for `group`/`kind` (Argo CD v3.5.1 `resource.customizations.health.<group>_<kind>`). */
export function argoCdHealthCheckKey(group: string, kind: string): string {
  if (group.includes('_') || kind.includes('_') || kind === '') {
    // `convertToOverrideKey` splits on every `_`: a key with two of them is rejected, and the whole argocd-cm with it.
    throw new Error(`no Argo CD health check key for ${group}/${kind}`);
  }
  return group === '' ? `resource.customizations.health.${kind}` : `resource.customizations.health.${group}_${kind}`;
}

/**
 * Degraded on CAPA's `failureMessage` (with `failureReason` first when set): the same in the AWSManagedMachinePool and
 * AWSManagedCluster checks.
 */
const FAILURE_MESSAGE_LUA = `if obj.status.failureMessage ~= nil and obj.status.failureMessage ~= "" then
  hs.status = "Degraded"
  hs.message = obj.status.failureMessage
  if obj.status.failureReason ~= nil and obj.status.failureReason ~= "" then
    hs.message = obj.status.failureReason .. ": " .. obj.status.failureMessage
  end
  return hs
end
`;

/**
 * `infrastructure.cluster.x-k8s.io/AWSManagedMachinePool`, from what CAPA v2.11.1 writes
 * (kubernetes-sigs/cluster-api-provider-aws v2.11.1):
 * - `exp/api/v1beta2/awsmanagedmachinepool_types.go` `AWSManagedMachinePoolStatus`: `ready` (the node group has
 *   joined; `+kubebuilder:default=false`), `replicas`, `failureReason`/`failureMessage` (terminal problems), and
 *   `conditions` (cluster-api v1beta1 `Conditions`: type, status, severity, reason, message; empty ones omitted);
 * - `pkg/cloud/services/eks/nodegroup.go` `setStatus`: `failureMessage` "EKS nodegroup in failed CREATE_FAILED status"
 *   (or DELETE_FAILED) with `ready` false; ACTIVE clears it and sets `ready`; `failureReason` is never written
 *   ("TODO FailureReason"), but is shown when present;
 * - `exp/controllers/awsmanagedmachinepool_controller.go` `Reconcile`: `util/paused` `EnsurePausedCondition` writes
 *   the v1beta1 `Paused` condition (True while the Cluster's `spec.paused` or the object's `cluster.x-k8s.io/paused`
 *   annotation is set, and then nothing else is reconciled); the deferred `SetSummary` writes `Ready` from
 *   EKSNodegroupReady, IAMNodegroupRolesReady and LaunchTemplateReady with a step counter ("1 of 3 completed");
 *   `reconcileNormal` marks LaunchTemplateReady False/LaunchTemplateReconcileFailed/Error without a message;
 *   `pkg/cloud/services/eks/eks.go` `ReconcilePool` marks EKSNodegroupReady False/EKSNodegroupReconciliationFailed/Error
 *   with the error (`exp/api/v1beta2/conditions_consts.go`).
 * Result: Suspended while Paused is True; Degraded with `failureReason: failureMessage`, else with every other False
 * condition of severity Error ("Type (Reason): message", `; `-separated; the Ready summary is left out, it only repeats
 * them as a step count); Healthy when `ready` and Ready is True (or not written yet); else Progressing with the Ready
 * summary, or "EKS node group is not ready (.status.ready is false)".
 */
export const AWS_MANAGED_MACHINE_POOL_HEALTH_LUA = `-- infrastructure.cluster.x-k8s.io/AWSManagedMachinePool (CAPA v2.11.1, v1beta1 conditions)
local hs = {}
hs.status = "Progressing"
hs.message = "Waiting for the EKS node group"

local function describe(condition)
  local text = condition.type
  if condition.reason ~= nil and condition.reason ~= "" then
    text = text .. " (" .. condition.reason .. ")"
  end
  if condition.message ~= nil and condition.message ~= "" then
    text = text .. ": " .. condition.message
  end
  return text
end

if obj.status == nil then
  return hs
end

local conditions = {}
if obj.status.conditions ~= nil then
  conditions = obj.status.conditions
end

for _, condition in ipairs(conditions) do
  if condition.type == "Paused" and condition.status == "True" then
    hs.status = "Suspended"
    hs.message = "Reconciliation is paused"
    if condition.message ~= nil and condition.message ~= "" then
      hs.message = hs.message .. ": " .. condition.message
    end
    return hs
  end
end

${FAILURE_MESSAGE_LUA}
local errors = {}
local ready = nil
for _, condition in ipairs(conditions) do
  if condition.type == "Ready" then
    ready = condition
  elseif condition.status == "False" and condition.severity == "Error" then
    table.insert(errors, describe(condition))
  end
end

if #errors > 0 then
  hs.status = "Degraded"
  hs.message = table.concat(errors, "; ")
  return hs
end

if obj.status.ready == true and (ready == nil or ready.status == "True") then
  hs.status = "Healthy"
  hs.message = "EKS node group is ready"
  if obj.status.replicas ~= nil then
    hs.message = hs.message .. " (" .. obj.status.replicas .. " replicas)"
  end
  return hs
end

if ready ~= nil and ready.status ~= "True" then
  hs.message = "EKS node group is not ready: " .. describe(ready)
  return hs
end

hs.message = "EKS node group is not ready (.status.ready is false)"
return hs
`;

/**
 * `infrastructure.cluster.x-k8s.io/AWSManagedCluster`, from what CAPA v2.11.1 writes
 * (kubernetes-sigs/cluster-api-provider-aws v2.11.1):
 * - `api/v1beta2/awsmanagedcluster_types.go` `AWSManagedClusterStatus`: `ready` (`omitempty`, so absent until true),
 *   `failureDomains` and v1beta1 `conditions`. It has no `failureReason`/`failureMessage` (unlike the other CAPA
 *   kinds), so there is nothing terminal to report: the script reads them only should a later API add them;
 * - `controllers/awsmanagedcluster_controller.go` `Reconcile`: `util/paused` `EnsurePausedCondition` (the v1beta1
 *   `Paused` condition, the only condition written), then `status.ready = true` and the control plane's endpoint and
 *   failure domains copied, as soon as the AWSManagedControlPlane named by the Cluster's `controlPlaneRef` exists
 *   (its readiness is the AWSManagedControlPlane check's business).
 * Result: Suspended while Paused is True; Degraded on a `failureMessage`; Healthy when `ready`; else Progressing.
 */
export const AWS_MANAGED_CLUSTER_HEALTH_LUA = `-- infrastructure.cluster.x-k8s.io/AWSManagedCluster (CAPA v2.11.1)
local hs = {}
hs.status = "Progressing"
hs.message = "Waiting for the AWSManagedControlPlane of the Cluster"

if obj.status == nil then
  return hs
end

if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Paused" and condition.status == "True" then
      hs.status = "Suspended"
      hs.message = "Reconciliation is paused"
      if condition.message ~= nil and condition.message ~= "" then
        hs.message = hs.message .. ": " .. condition.message
      end
      return hs
    end
  end
end

${FAILURE_MESSAGE_LUA}
if obj.status.ready == true then
  hs.status = "Healthy"
  hs.message = "Cluster infrastructure is ready"
  return hs
end

return hs
`;

/**
 * The reasons the cluster-api-operator v0.28.0 gives a False `PreflightCheckPassed` that only a change of the provider
 * (or of another provider object, or of its secret) can clear (kubernetes-sigs/cluster-api-operator v0.28.0
 * `api/v1alpha2/conditions_consts.go`, set by `internal/controller/preflight_checks.go` `setPreflightFailed` from
 * `preflightChecks`/`checkProviderVersion`). `WaitingForCoreProviderReady` (an InfrastructureProvider before the
 * CoreProvider is Ready) is the one transient reason. `InvalidGithubTokenError` is also given when GitHub cannot be
 * reached with the token.
 */
export const OPERATOR_TERMINAL_PREFLIGHT_REASONS: readonly string[] = [
  'IncorrectVersionFormat',
  'IncorrectCoreProviderNameReason',
  'FetchConfigValidationError',
  'MoreThanOneExists',
  'UnsupportedProviderDowngradeReason',
  'InvalidGithubTokenError',
];

/**
 * The reasons of a False `ProviderInstalled` that follow from the provider's spec alone, so retrying cannot clear them
 * (cluster-api-operator v0.28.0 `wrapPhaseError` callers: `internal/controller/phase_initialize.go` UnknownProvider,
 * `phase_load.go` CAPIVersionIncompatibility, `phase_fetch.go` ComponentsCustomizationError/ComponentsPatchError/
 * ComponentsImageOverrideError). Other reasons (ComponentsFetchError, InstallFailed, TimedOutWaitingForDeployment, ...)
 * may be transient: the operator retries them, and the check reports them as Progressing with the error.
 */
export const OPERATOR_TERMINAL_INSTALL_REASONS: readonly string[] = [
  'UnknownProvider',
  'CAPIVersionIncompatibility',
  'ComponentsCustomizationError',
  'ComponentsPatchError',
  'ComponentsImageOverrideError',
];

const luaSet = (names: readonly string[]) => `{ ${names.map((n) => `["${n}"] = true`).join(', ')} }`;

/**
 * `operator.cluster.x-k8s.io` CoreProvider and InfrastructureProvider (the same script; Argo CD keys checks by kind),
 * from what kubernetes-sigs/cluster-api-operator v0.28.0 writes:
 * - `api/v1alpha2/provider_types.go` `ProviderSpec.version` and `ProviderStatus`: `conditions` (`metav1.Condition`:
 *   type, status, reason, message; no severity), `observedGeneration`, `installedVersion`, `contract`;
 * - `internal/controller/preflight_checks.go` `preflightChecks`: `PreflightCheckPassed` True "All preflight checks
 *   passed", or False with a reason and message (`setPreflightFailed`);
 * - `internal/controller/genericprovider_controller.go` `reconcile`: a failing phase's `PhaseError` becomes its
 *   condition False with the phase's reason and the error as message (`ProviderInstalled`, or `ProviderUpgraded` for
 *   `Upgrade`); the deferred patch sets `observedGeneration` only when the pass returned no error;
 * - `internal/controller/phase_lifecycle.go` `Install` (`ProviderInstalled` True "Provider installed successfully")
 *   and `Upgrade` (`ProviderUpgraded` True when `installedVersion` differed from `spec.version`);
 *   `internal/controller/phase_fetch.go` `ReportStatus` (`installedVersion` = the installed components' version);
 * - `internal/controller/healthcheck/healthcheck_controller.go` `Reconcile`: once `ProviderInstalled` is True,
 *   `Ready` mirrors the provider Deployment's `Available` condition (reason defaulting to DeploymentAvailable), or is
 *   False/NoDeploymentAvailableConditionReason.
 * Result: Degraded with the condition's message on a terminal PreflightCheckPassed or ProviderInstalled reason
 * (`OPERATOR_TERMINAL_PREFLIGHT_REASONS`, `OPERATOR_TERMINAL_INSTALL_REASONS`); otherwise Progressing until the
 * operator observed the current generation, `installedVersion` equals a set `spec.version`, ProviderInstalled is True
 * and Ready is True; then Healthy.
 */
export const OPERATOR_PROVIDER_HEALTH_LUA = `-- operator.cluster.x-k8s.io providers (cluster-api-operator v0.28.0, metav1 conditions)
local hs = {}
hs.status = "Progressing"
hs.message = "Waiting for the cluster-api-operator"

local terminalPreflight = ${luaSet(OPERATOR_TERMINAL_PREFLIGHT_REASONS)}
local terminalInstall = ${luaSet(OPERATOR_TERMINAL_INSTALL_REASONS)}

local function describe(condition)
  local text = condition.type
  if condition.reason ~= nil and condition.reason ~= "" then
    text = text .. " (" .. condition.reason .. ")"
  end
  if condition.message ~= nil and condition.message ~= "" then
    text = text .. ": " .. condition.message
  end
  return text
end

if obj.status == nil then
  return hs
end

local preflight = nil
local installed = nil
local upgraded = nil
local ready = nil
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "PreflightCheckPassed" then
      preflight = condition
    elseif condition.type == "ProviderInstalled" then
      installed = condition
    elseif condition.type == "ProviderUpgraded" then
      upgraded = condition
    elseif condition.type == "Ready" then
      ready = condition
    end
  end
end

if preflight ~= nil and preflight.status == "False" and preflight.reason ~= nil and terminalPreflight[preflight.reason] then
  hs.status = "Degraded"
  hs.message = describe(preflight)
  if preflight.message ~= nil and preflight.message ~= "" then
    hs.message = preflight.message
  end
  return hs
end

if installed ~= nil and installed.status == "False" and installed.reason ~= nil and terminalInstall[installed.reason] then
  hs.status = "Degraded"
  hs.message = describe(installed)
  return hs
end

if preflight ~= nil and preflight.status ~= "True" then
  hs.message = describe(preflight)
  return hs
end

if installed ~= nil and installed.status == "False" then
  hs.message = describe(installed)
  return hs
end

if upgraded ~= nil and upgraded.status == "False" then
  hs.message = describe(upgraded)
  return hs
end

if obj.metadata ~= nil and obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.message = "Waiting for the cluster-api-operator to observe generation " .. obj.metadata.generation
  return hs
end

local wanted = nil
if obj.spec ~= nil and obj.spec.version ~= nil and obj.spec.version ~= "" then
  wanted = obj.spec.version
end
local current = obj.status.installedVersion
if wanted ~= nil and current ~= wanted then
  if current == nil or current == "" then
    hs.message = "Installing " .. wanted
  else
    hs.message = "Upgrading from " .. current .. " to " .. wanted
  end
  return hs
end

if installed == nil or installed.status ~= "True" then
  hs.message = "Waiting for the provider to be installed"
  return hs
end

if ready == nil then
  hs.message = "Waiting for the provider's Deployment to become available"
  return hs
end

if ready.status ~= "True" then
  hs.message = describe(ready)
  return hs
end

hs.status = "Healthy"
hs.message = "Provider is installed and ready"
if current ~= nil and current ~= "" then
  hs.message = "Provider " .. current .. " is installed and ready"
end
return hs
`;

/**
 * The health checks the management plane adds to `argocd-cm` (`data`), keyed as Argo CD v3.5.1 reads them
 * (`argoCdHealthCheckKey`).
 */
export const ARGOCD_HEALTH_CHECKS: Readonly<Record<string, string>> = Object.freeze({
  [argoCdHealthCheckKey('infrastructure.cluster.x-k8s.io', 'AWSManagedMachinePool')]: AWS_MANAGED_MACHINE_POOL_HEALTH_LUA,
  [argoCdHealthCheckKey('infrastructure.cluster.x-k8s.io', 'AWSManagedCluster')]: AWS_MANAGED_CLUSTER_HEALTH_LUA,
  [argoCdHealthCheckKey('operator.cluster.x-k8s.io', 'CoreProvider')]: OPERATOR_PROVIDER_HEALTH_LUA,
  [argoCdHealthCheckKey('operator.cluster.x-k8s.io', 'InfrastructureProvider')]: OPERATOR_PROVIDER_HEALTH_LUA,
});
