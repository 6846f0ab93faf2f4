import type { ClusterPlan, Plan, PlanItem } from './plan';
import { ACCEPTANCE_FILE, acceptanceEntry, unusedAcceptanceWarning } from './plan-acceptance';

/**
 * The plan as Markdown for a pull-request comment: a summary line, then what is blocked (every blocked change, with
 * why, the fix and the escape), then one collapsible section per cluster, clusters with blocked changes first, then
 * the fleet's own changes; `notes` (how the base was chosen, warnings about dist/ and the branch) are quoted under the
 * title. Everything taken from the fleet (names, values) is escaped, so no value can turn into
 * markup, a link or HTML in the comment.
 */
export function formatPlanMarkdown(plan: Plan, title: string, notes: readonly string[] = []): string {
  const blockedItems = (items: readonly PlanItem[]) => items.filter((i) => i.blocked !== undefined && i.allowedBy === undefined);
  const count = (change: ClusterPlan['change']) => plan.clusters.filter((c) => c.change === change).length;
  const blocked = [...plan.clusters.flatMap((c) => blockedItems(c.items)), ...blockedItems(plan.fleet)].length;
  const lines = [`### ${text(title)}`, ''];
  notes.forEach((note) => lines.push(`> ${note.startsWith('warning: ') ? `⚠️ ${text(note.slice('warning: '.length))}` : text(note)}`, ''));
  lines.push(`**${plan.clusters.length} cluster(s) changed** (${count('created')} created, ${count('removed')} removed); `
    + (blocked === 0 ? 'nothing blocked' : `**${blocked} change(s) blocked**`), '');
  (plan.unusedAcceptances ?? []).forEach((a) => lines.push(`> ⚠️ ${text(unusedAcceptanceWarning(a))}`, ''));
  if (plan.clusters.length === 0 && plan.fleet.length === 0) {
    lines.push('No changes.');
    return `${lines.join('\n')}\n`;
  }

  if (blocked > 0) {
    lines.push('#### Blocked', '');
    for (const cluster of plan.clusters) {
      blockedItems(cluster.items).forEach((item) => lines.push(...blockedEntry(item, `cluster \`${code(cluster.cluster)}\`: `, cluster.cluster)));
    }
    blockedItems(plan.fleet).forEach((item) => lines.push(...blockedEntry(item, 'fleet: ', '')));
    lines.push('');
  }

  const verb = { created: 'created', removed: 'removed', changed: 'changed' };
  const ordered = [...plan.clusters].sort((a, b) => Number(blockedItems(b.items).length > 0) - Number(blockedItems(a.items).length > 0));
  const section = (summary: string, items: readonly PlanItem[]) => {
    const held = blockedItems(items).length;
    lines.push('<details>', `<summary>${summary} (${items.length} change(s)${held > 0 ? `, ${held} blocked` : ''})</summary>`, '');
    items.forEach((item) => lines.push(itemLine(item)));
    lines.push('', '</details>', '');
  };
  for (const cluster of ordered) {
    section(`${blockedItems(cluster.items).length > 0 ? '❌' : '✅'} cluster <code>${html(cluster.cluster)}</code> ${verb[cluster.change]}`, cluster.items);
  }
  if (plan.fleet.length > 0) {
    section(`${blockedItems(plan.fleet).length > 0 ? '❌' : '✅'} fleet`, plan.fleet);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function blockedEntry(item: PlanItem, where: string, cluster: string): string[] {
  const { rule, why, fix, escape, fingerprint } = item.blocked!;
  return [
    `- ❌ ${where}**${text(item.message)}** (rule \`${code(rule)}\`)`,
    `  - why: ${text(why)}`,
    `  - fix: ${text(fix)}`,
    `  - escape: \`${code(escape)}\``,
    ...(fingerprint === undefined ? [] : [`  - accept with (a list item under \`accept:\` in \`${ACCEPTANCE_FILE}\`, reviewed with the change): `
      + `\`- ${code(acceptanceEntry(rule, cluster, fingerprint))}\``]),
  ];
}

function itemLine(item: PlanItem): string {
  if (item.blocked !== undefined) {
    return item.allowedBy === undefined
      ? `- ❌ BLOCKED (\`${code(item.blocked.rule)}\`) ${text(item.message)}`
      : item.acceptedReason !== undefined
        ? `- ⚠️ ACCEPTED (\`${code(item.blocked.rule)}\`) ${text(item.message)}; accepted by \`${code(item.allowedBy)}\`: ${text(item.acceptedReason)}`
        : `- ⚠️ ALLOWED (\`${code(item.blocked.rule)}\`, by \`${code(item.allowedBy)}\`) ${text(item.message)}`;
  }
  return `- ${item.warning ? '⚠️ ' : ''}${text(item.message)}`;
}

/** Text that Markdown shows as is: HTML and Markdown's punctuation escaped, on one line. */
function text(value: string): string {
  return html(value).replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

/** Text inside a code span: a backtick would end it, so it becomes a quote. */
function code(value: string): string {
  return value.replace(/`/g, "'").replace(/\s*\n\s*/g, ' ');
}

function html(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
