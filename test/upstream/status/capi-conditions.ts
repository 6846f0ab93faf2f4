/**
 * The `metav1.Condition` helpers Cluster API v1.14.0 writes v1beta2 conditions with: ports of kubernetes-sigs/cluster-api
 * v1.14.0
 * - `util/conditions/setter.go` `Set` (observedGeneration from the object, `meta.SetStatusCondition`: the transition
 *   time changes only with the status) and `sort.go` `defaultSortLessFunc` (the fixed order of condition types);
 * - `util/conditions/getter.go` `UnstructuredGetAll` (`status.v1beta2.conditions`, else `status.conditions`, v1beta1
 *   conditions converted best effort; a missing reason becomes `NoReasonReported`);
 * - `util/conditions/mirror.go` `newMirrorCondition` (fallback, else Unknown `NotYetReported`);
 * - `util/conditions/merge_strategies.go` `DefaultMergeStrategy.Merge`, `summaryMessage`, `aggregateMessages`,
 *   `indentIfMultiline`, `GetDefaultMergePriorityFunc`, `GetDefaultComputeMergeReasonFunc`;
 * - `util/conditions/summary.go` `NewSummaryCondition` and `aggregate.go` `NewAggregateCondition`.
 * Left out: `flect.Pluralize` is approximated by appending `s` (right for every Cluster API kind); override conditions.
 */
import { isObject, k8sTime, type Json } from './objects';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A `metav1.Condition` as serialized (`message` is always present, possibly empty). */
export interface Condition {
  type: string;
  status: ConditionStatus;
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** A condition to set: the transition time is filled in by `setCondition`. */
export interface NewCondition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}

export const NOT_YET_REPORTED = 'NotYetReported';
export const NO_REASON_REPORTED = 'NoReasonReported';

const ORDER = [
  'Available', 'Ready', 'UpToDate', 'RemoteConnectionProbe', 'BootstrapConfigReady', 'InfrastructureReady',
  'ControlPlaneInitialized', 'ControlPlaneAvailable', 'WorkersAvailable', 'CertificatesAvailable', 'Initialized',
  'EtcdClusterHealthy', 'ControlPlaneComponentsHealthy', 'NodeHealthy', 'NodeReady', 'NodeKubeadmLabelsAndTaintsSet',
  'EtcdPodHealthy', 'EtcdMemberHealthy', 'APIServerPodHealthy', 'ControllerManagerPodHealthy', 'SchedulerPodHealthy',
  'HealthCheckSucceeded', 'OwnerRemediated', 'TopologyReconciled', 'Updating', 'RollingOut', 'Remediating', 'ScalingDown',
  'ScalingUp', 'MachinesReady', 'ControlPlaneMachinesReady', 'WorkerMachinesReady', 'MachinesUpToDate',
  'ControlPlaneMachinesUpToDate', 'WorkerMachinesUpToDate', '', 'Paused', 'Deleting',
];
const ORDER_INDEX = new Map(ORDER.map((t, i) => [t, i]));
const orderOf = (type: string) => ORDER_INDEX.get(type) ?? ORDER_INDEX.get('')!;

/** `conditions.Set`: returns the new list (the input is not changed). */
export function setCondition(conditions: readonly Condition[], condition: NewCondition, now: string, generation?: number): Condition[] {
  const next: Condition = {
    type: condition.type,
    status: condition.status,
    ...(generation ? { observedGeneration: generation } : {}),
    lastTransitionTime: k8sTime(condition.lastTransitionTime ?? now),
    reason: condition.reason,
    message: condition.message ?? '',
  };
  const out = conditions.map((c) => ({ ...c }));
  const existing = out.find((c) => c.type === next.type);
  if (existing === undefined) {
    out.push(next);
  } else {
    const changed = existing.status !== next.status || existing.reason !== next.reason || existing.message !== next.message
      || (existing.observedGeneration ?? 0) !== (next.observedGeneration ?? 0);
    if (!changed) {
      return [...conditions];
    }
    if (existing.status !== next.status) {
      existing.lastTransitionTime = next.lastTransitionTime;
    }
    Object.assign(existing, { status: next.status, reason: next.reason, message: next.message });
    if (next.observedGeneration === undefined) {
      delete existing.observedGeneration;
    } else {
      existing.observedGeneration = next.observedGeneration;
    }
  }
  return out.map((c, i) => ({ c, i }))
    .sort((a, b) => orderOf(a.c.type) - orderOf(b.c.type) || (a.c.type < b.c.type ? -1 : a.c.type > b.c.type ? 1 : a.i - b.i))
    .map(({ c }) => c);
}

export const findCondition = (conditions: readonly Condition[] | undefined, type: string): Condition | undefined =>
  (conditions ?? []).find((c) => c.type === type);

export const isTrue = (conditions: readonly Condition[] | undefined, type: string): boolean => findCondition(conditions, type)?.status === 'True';

/** `UnstructuredGetAll`: the conditions of a provider object; throws as upstream does on an unusable condition. */
export function unstructuredConditions(obj: { kind: string; status?: unknown }): Condition[] {
  const status = isObject(obj.status) ? obj.status : {};
  const v1beta2 = isObject(status.v1beta2) ? status.v1beta2.conditions : undefined;
  const [field, list] = Array.isArray(v1beta2) ? ['status.v1beta2.conditions', v1beta2] : ['status.conditions', status.conditions];
  if (!Array.isArray(list)) {
    return [];
  }
  return list.filter(isObject).map((c: Json) => {
    const wrap = (m: string) => new Error(`failed to convert ${field} from ${obj.kind} to []metav1.Condition: ${m}`);
    if (typeof c.type !== 'string' || c.type === '') {
      throw wrap('type must be set for all conditions');
    }
    if (typeof c.status !== 'string' || c.status === '') {
      throw wrap(`status must be set for the ${c.type} condition`);
    }
    if (!['True', 'False', 'Unknown'].includes(c.status)) {
      throw wrap(`status for the ${c.type} condition must be one of True, False, Unknown`);
    }
    return {
      type: c.type,
      status: c.status as ConditionStatus,
      ...(typeof c.observedGeneration === 'number' ? { observedGeneration: c.observedGeneration } : {}),
      lastTransitionTime: typeof c.lastTransitionTime === 'string' ? c.lastTransitionTime : '',
      reason: typeof c.reason === 'string' && c.reason !== '' ? c.reason : NO_REASON_REPORTED,
      message: typeof c.message === 'string' ? c.message : '',
    };
  });
}

/** `newMirrorCondition`: the source condition under another type, else the fallback, else Unknown `NotYetReported`. */
export function mirrorCondition(source: Condition | undefined, sourceType: string, targetType: string,
  fallback?: { status: ConditionStatus; reason: string; message: string }): NewCondition {
  if (source !== undefined) {
    return {
      type: targetType,
      status: source.status,
      reason: source.reason,
      message: source.message,
      ...(source.lastTransitionTime ? { lastTransitionTime: source.lastTransitionTime } : {}),
    };
  }
  if (fallback !== undefined) {
    return { type: targetType, ...fallback };
  }
  return { type: targetType, status: 'Unknown', reason: NOT_YET_REPORTED, message: `Condition ${sourceType} not yet reported` };
}

export enum MergePriority { Issue = 0, Unknown = 1, Info = 2 }

export interface ConditionWithOwner {
  readonly owner: { readonly kind: string; readonly name: string; readonly isControlPlaneMachine?: boolean };
  readonly condition: Condition | NewCondition;
}

export interface MergeStrategy {
  readonly priority: (c: Condition | NewCondition) => MergePriority;
  readonly targetPositive: boolean;
  readonly reasons: readonly [issue: string, unknown: string, info: string];
}

/** `GetDefaultMergePriorityFunc`. */
export function defaultMergePriority(...negativePolarityTypes: string[]): (c: Condition | NewCondition) => MergePriority {
  return (c) => {
    const negative = negativePolarityTypes.includes(c.type);
    if (c.status === 'True') {
      return negative ? MergePriority.Issue : MergePriority.Info;
    }
    if (c.status === 'False') {
      return negative ? MergePriority.Info : MergePriority.Issue;
    }
    return MergePriority.Unknown;
  };
}

export const defaultStrategy = (reasons: MergeStrategy['reasons'] = ['IssuesReported', 'UnknownReported', 'InfoReported'],
  priority = defaultMergePriority(), targetPositive = true): MergeStrategy => ({ priority, targetPositive, reasons });

/** `defaultMergeStrategy.Merge`. */
export function merge(operation: 'Summary' | 'Aggregate', conditions: ConditionWithOwner[], conditionTypes: readonly string[],
  strategy: MergeStrategy): { status: ConditionStatus; reason: string; message: string } {
  if (conditions.length === 0) {
    throw new Error('can\'t merge an empty list of conditions');
  }
  const order = new Map(conditionTypes.map((t, i) => [t, i]));
  const idx = (c: ConditionWithOwner) => order.get(c.condition.type) ?? 0;
  const sorted = conditions.map((c, i) => ({ c, i })).sort((a, b) => idx(a.c) - idx(b.c)
    || (a.c.condition.lastTransitionTime ?? '').localeCompare(b.c.condition.lastTransitionTime ?? '') || a.i - b.i).map(({ c }) => c);
  const by = (p: MergePriority) => sorted.filter((c) => strategy.priority(c.condition) === p);
  const [issues, unknowns, infos] = [by(MergePriority.Issue), by(MergePriority.Unknown), by(MergePriority.Info)];
  let status: ConditionStatus;
  if (issues.length > 0) {
    status = strategy.targetPositive ? 'False' : 'True';
  } else if (unknowns.length > 0) {
    status = 'Unknown';
  } else {
    status = strategy.targetPositive ? 'True' : 'False';
  }
  const reason = issues.length > 0 ? strategy.reasons[0] : unknowns.length > 0 ? strategy.reasons[1] : strategy.reasons[2];
  let message: string;
  if (operation === 'Summary') {
    message = sorted.filter(({ condition: c }) => strategy.priority(c) !== MergePriority.Info || (status === 'True' && (c.message ?? '') !== ''))
      .map(({ condition: c }) => `* ${c.type}:${(c.message ?? '') !== '' ? indentIfMultiline(c.message!) : ` ${c.reason}`}`).join('\n');
  } else {
    const n = { left: 3 };
    message = (issues.length > 0 || unknowns.length > 0
      ? aggregateMessages([...issues, ...unknowns], n, false, strategy.priority, { 0: 'with other issues', 1: 'with status unknown' })
      : aggregateMessages(infos, n, true, strategy.priority, { 2: 'with additional info' })).join('\n');
  }
  return { status, reason, message };
}

function aggregateMessages(conditions: ConditionWithOwner[], n: { left: number }, dropEmpty: boolean,
  priority: MergeStrategy['priority'], otherMessages: Partial<Record<MergePriority, string>>): string[] {
  const byKind = new Map<string, Map<string, string[]>>();
  const messagePriority = new Map<string, MergePriority>();
  const mustGoFirst = new Map<string, boolean>();
  const cpMachines = new Set<string>();
  for (const { owner, condition } of conditions) {
    const m = condition.message ?? '';
    if (dropEmpty && m === '') {
      continue;
    }
    const kindMap = byKind.get(owner.kind) ?? new Map<string, string[]>();
    byKind.set(owner.kind, kindMap.set(m, [...(kindMap.get(m) ?? []), owner.name]));
    if (owner.isControlPlaneMachine) {
      cpMachines.add(owner.name);
    }
    const current = messagePriority.get(m);
    const p = priority(condition);
    if (current === undefined || current === MergePriority.Info || (current === MergePriority.Unknown && p === MergePriority.Issue)) {
      messagePriority.set(m, p);
    }
    if (!mustGoFirst.get(m) && owner.isControlPlaneMachine) {
      mustGoFirst.set(m, true);
    }
  }
  const messages: string[] = [];
  for (const kind of [...byKind.keys()].sort()) {
    const kindMap = byKind.get(kind)!;
    const first = (m: string) => (mustGoFirst.get(m) ? 0 : 1);
    const index = [...kindMap.keys()].sort((i, j) => first(i) - first(j)
      || messagePriority.get(i)! - messagePriority.get(j)! || kindMap.get(j)!.length - kindMap.get(i)!.length
      || (kindMap.get(i)!.join(',') < kindMap.get(j)!.join(',') ? -1 : kindMap.get(i)!.join(',') > kindMap.get(j)!.join(',') ? 1 : 0));
    const others = new Map<MergePriority, number>();
    for (const m of index) {
      const objects = kindMap.get(m)!;
      if (n.left === 0) {
        others.set(messagePriority.get(m)!, (others.get(messagePriority.get(m)!) ?? 0) + objects.length);
        continue;
      }
      objects.sort((i, j) => (cpMachines.has(j) ? 1 : 0) - (cpMachines.has(i) ? 1 : 0) || (i < j ? -1 : i > j ? 1 : 0));
      const head = objects.length === 1 ? `* ${kind} ${objects[0]}:` : objects.length <= 3 ? `* ${kind}s ${objects.join(', ')}:`
        : `* ${kind}s ${objects.slice(0, 3).join(', ')}, ... (${objects.length - 3} more):`;
      messages.push(head + indentIfMultiline(m));
      n.left--;
    }
    for (const p of [MergePriority.Issue, MergePriority.Unknown, MergePriority.Info]) {
      const other = others.get(p);
      const text = otherMessages[p];
      if (other !== undefined && text !== undefined && other > 0) {
        messages.push(`And ${other} ${other === 1 ? kind : `${kind}s`} ${text}`);
      }
    }
  }
  return messages;
}

const BULLET = /\s*\*\s+/;

/** `indentIfMultiline`. */
export function indentIfMultiline(m: string): string {
  if (!m.includes('\n') && !BULLET.test(m)) {
    return ` ${m}`;
  }
  const lines = m.split('\n');
  const withoutBullet = lines.some((l) => !BULLET.test(l));
  return `\n${lines.map((l) => `  ${withoutBullet ? (BULLET.test(l) ? '  ' : '* ') : ''}${l}`).join('\n')}`;
}

/** `NewSummaryCondition` of `conditions` (the object's own). */
export function summaryCondition(conditions: readonly Condition[], owner: { kind: string; name: string }, targetType: string,
  options: { forConditionTypes: readonly string[]; ignoreTypesIfMissing?: readonly string[]; strategy: MergeStrategy }): NewCondition {
  const expected = new Set(options.forConditionTypes);
  const inScope: ConditionWithOwner[] = conditions.filter((c) => expected.has(c.type)).map((condition) => ({ owner, condition }));
  const existing = new Set(inScope.map((c) => c.condition.type));
  for (const t of options.forConditionTypes) {
    if (!existing.has(t) && !(options.ignoreTypesIfMissing ?? []).includes(t)) {
      inScope.push({ owner, condition: { type: t, status: 'Unknown', reason: NOT_YET_REPORTED, message: 'Condition not yet reported' } });
    }
  }
  if (inScope.length === 0) {
    throw new Error('summary can\'t be performed when the list of conditions to be summarized is empty');
  }
  return { type: targetType, ...merge('Summary', inScope, options.forConditionTypes, options.strategy) };
}

/** `NewAggregateCondition` of `sourceType` over objects (each with its kind, name and conditions). */
export function aggregateCondition(objects: ReadonlyArray<{ kind: string; name: string; conditions: readonly Condition[] }>,
  sourceType: string, targetType: string, strategy: MergeStrategy): NewCondition {
  if (objects.length === 0) {
    throw new Error('sourceObjs can\'t be empty');
  }
  const inScope: ConditionWithOwner[] = objects.map(({ kind, name, conditions }) => ({
    owner: { kind, name },
    condition: findCondition(conditions, sourceType)
      ?? { type: sourceType, status: 'Unknown', reason: NOT_YET_REPORTED, message: `Condition ${sourceType} not yet reported` },
  }));
  return { type: targetType, ...merge('Aggregate', inScope, [sourceType], strategy) };
}
