/**
 * The deprecated v1beta1 condition helpers, which Cluster API v1.14.0 still uses for `status.deprecated.v1beta1` and
 * which CAPA v2.11.1 uses for every condition it writes (`status.conditions` of AWSManagedCluster,
 * AWSManagedControlPlane, AWSManagedMachinePool): ports of kubernetes-sigs/cluster-api v1.14.0
 * `util/conditions/deprecated/v1beta1/` (the same code CAPA imports from cluster-api v1.11.1 as
 * `util/deprecated/v1beta1/conditions/`):
 * - `setter.go` `Set` (the transition time changes whenever status, reason, severity or message change; `Ready` first,
 *   then the other types alphabetically), `MarkTrue`, `MarkFalse`, `SetSummary`, `SetMirror`;
 * - `getter.go` `summary` (`WithConditions`, `WithStepCounter`) and `mirror` (`WithFallbackValue`);
 * - `merge.go` `merge`/`getConditionGroups` (groups by status and severity: False/Error, False/Warning, False/Info, True,
 *   Unknown) and `merge_strategies.go` `getFirstReason`, `getStepCounterMessage`, `getFirstMessage`.
 * Left out: negative polarity, `AddSourceRef`, `WithStepCounterIfOnly` (none of the writers ported here use them).
 */
import { k8sTime } from './objects';

export type Severity = 'Error' | 'Warning' | 'Info' | '';

/** A v1beta1 `Condition` as serialized (empty reason, message and severity are omitted). */
export interface V1Beta1Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  severity?: Severity;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export type V1Beta1NewCondition = Omit<V1Beta1Condition, 'lastTransitionTime'> & { lastTransitionTime?: string };

const sameState = (a: V1Beta1NewCondition, b: V1Beta1NewCondition) => a.type === b.type && a.status === b.status
  && (a.reason ?? '') === (b.reason ?? '') && (a.severity ?? '') === (b.severity ?? '') && (a.message ?? '') === (b.message ?? '');

const normalize = (c: V1Beta1NewCondition, lastTransitionTime: string): V1Beta1Condition => ({
  type: c.type,
  status: c.status,
  ...(c.severity ? { severity: c.severity } : {}),
  lastTransitionTime,
  ...(c.reason ? { reason: c.reason } : {}),
  ...(c.message ? { message: c.message } : {}),
});

/** `lexicographicLess`: `Ready` first, then by type. */
function compare(a: V1Beta1Condition, b: V1Beta1Condition): number {
  if (a.type === b.type) {
    return 0;
  }
  if (a.type === 'Ready') {
    return -1;
  }
  if (b.type === 'Ready') {
    return 1;
  }
  return a.type < b.type ? -1 : 1;
}

/** `Set`; `undefined` (a summary or mirror with nothing to report) leaves the list as it is. Returns a new list. */
export function setV1Beta1(conditions: readonly V1Beta1Condition[] | undefined, condition: V1Beta1NewCondition | undefined,
  now: string): V1Beta1Condition[] {
  const out = [...(conditions ?? [])];
  if (condition === undefined) {
    return out;
  }
  const i = out.findIndex((c) => c.type === condition.type);
  if (i < 0) {
    out.push(normalize(condition, k8sTime(condition.lastTransitionTime ?? now)));
  } else if (!sameState(out[i], condition)) {
    out[i] = normalize(condition, k8sTime(now));
  }
  return out.sort(compare);
}

export const trueCondition = (type: string): V1Beta1NewCondition => ({ type, status: 'True' });

export const falseCondition = (type: string, reason: string, severity: Severity, message = ''): V1Beta1NewCondition =>
  ({ type, status: 'False', reason, severity, message });

export const markTrue = (conditions: readonly V1Beta1Condition[] | undefined, type: string, now: string) =>
  setV1Beta1(conditions, trueCondition(type), now);

export const markFalse = (conditions: readonly V1Beta1Condition[] | undefined, type: string, reason: string, severity: Severity,
  message: string, now: string) => setV1Beta1(conditions, falseCondition(type, reason, severity, message), now);

export const getV1Beta1 = (conditions: readonly V1Beta1Condition[] | undefined, type: string) =>
  (conditions ?? []).find((c) => c.type === type);

export const isTrueV1Beta1 = (conditions: readonly V1Beta1Condition[] | undefined, type: string) =>
  getV1Beta1(conditions, type)?.status === 'True';

/** `mirror`: the source's `Ready` under `target`, else the fallback (True, or False with reason/severity/message). */
export function mirrorV1Beta1(source: readonly V1Beta1Condition[] | undefined, target: string,
  fallback?: { value: boolean; reason: string; severity: Severity; message: string }): V1Beta1NewCondition | undefined {
  const ready = getV1Beta1(source, 'Ready');
  if (ready !== undefined) {
    return { ...ready, type: target };
  }
  if (fallback === undefined) {
    return undefined;
  }
  return fallback.value ? trueCondition(target) : falseCondition(target, fallback.reason, fallback.severity, fallback.message);
}

function mergePriority(c: V1Beta1NewCondition): number {
  if (c.status === 'False') {
    return c.severity === 'Error' ? 0 : c.severity === 'Warning' ? 1 : c.severity === 'Info' ? 2 : 99;
  }
  return c.status === 'True' ? 3 : 4;
}

/** `summary` (+ `merge`): the `Ready` condition of `conditions`, or undefined when none of them is in scope. */
export function summaryV1Beta1(conditions: readonly V1Beta1Condition[] | undefined,
  options: { conditionTypes?: readonly string[]; stepCounter?: boolean } = {}): V1Beta1NewCondition | undefined {
  const inScope = (conditions ?? []).filter((c) => c.type !== 'Ready'
    && (options.conditionTypes === undefined || options.conditionTypes.includes(c.type)));
  if (inScope.length === 0) {
    return undefined;
  }
  // getConditionGroups: groups of equal status and severity, in the order first seen, then sorted by merge priority.
  const groups: Array<{ status: string; severity: string; conditions: V1Beta1Condition[] }> = [];
  for (const c of inScope) {
    const group = groups.find((g) => g.status === c.status && g.severity === (c.severity ?? ''));
    if (group === undefined) {
      groups.push({ status: c.status, severity: c.severity ?? '', conditions: [c] });
    } else {
      group.conditions.push(c);
    }
  }
  groups.sort((a, b) => mergePriority(a.conditions[0]) - mergePriority(b.conditions[0]));
  const top = groups[0];
  top.conditions.sort(compare);
  if (top.status === 'True') {
    return trueCondition('Ready');
  }
  let first = top.conditions[0];
  if (top.conditions.length > 1) {
    first = (options.conditionTypes ?? []).map((t) => top.conditions.find((c) => c.type === t)).find((c) => c !== undefined) ?? first;
  }
  const stepCount = options.conditionTypes?.length ?? inScope.length;
  const trueGroup = groups.find((g) => g.status === 'True' && g.severity === '');
  const message = options.stepCounter ? `${trueGroup?.conditions.length ?? 0} of ${stepCount} completed` : first.message ?? '';
  return top.status === 'False'
    ? falseCondition('Ready', first.reason ?? '', (top.severity as Severity), message)
    : { type: 'Ready', status: 'Unknown', reason: first.reason ?? '', message };
}
