import { Command } from 'commander';
import { PLAN_RULES } from '../../operations/plan-rules';
import type { PlanFlags } from '../actions/plan';
import type { CommandContext } from '../context';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `arlonctl plan`: what a change to the fleet does, with the guards. */
export function planCommand(context: CommandContext): Command {
  return new Command('plan')
    .description('Synthesize the fleet (as cdk diff does), then compare the result with dist/ at a git ref, cluster by cluster: created and '
      + 'removed clusters, Kubernetes upgrades, node pool changes, add-ons, bundles. Says when dist/ is stale or was edited by hand. '
      + 'Blocks unsafe changes: exit 0 safe, 1 blocked, 2 usage.')
    .option('--base <ref>', 'git ref to compare with (default: HEAD when the working tree has uncommitted changes; otherwise the branch the '
      + 'fleet deploys, its targetRevision, as origin/<branch> when this clone has it)')
    .option('--no-synth', 'plan dist/ as it is, without running the synth first (a CI step that has just synthesized; faster)')
    .option('--app <command>', 'the command that synthesizes the fleet (default: `app` of ./cdk8s.yaml); run with ARLON_OUTDIR set to a scratch folder')
    .option('--app-timeout <duration>', 'time allowed for the synth; it is stopped after that (with every process it started)', '10m')
    .option('--allow <rule[=cluster]>', `let a blocked change through (${Object.keys(PLAN_RULES).join(', ')}); repeatable. To accept one `
      + 'in review (and in CI), add the "accept with" entry the plan prints to arlon.accept.yaml beside dist/, with a reason', collect, [])
    .addHelpText('after', [
      '',
      'Examples:',
      '  arlonctl plan                          # what the code changes: against HEAD with uncommitted changes, else against the deployed branch',
      '  arlonctl plan --base origin/main       # everything this branch changes',
      '  arlonctl plan --no-synth --base HEAD   # dist/ as it is, without synthesizing',
      '  arlonctl plan --allow kubernetes-minor-skip=dev-use1',
      '  arlonctl plan --output json',
      '  arlonctl plan --base origin/main -o markdown > plan.md   # for a pull-request comment',
      '',
      'A blocked change accepted in review: arlon.accept.yaml beside dist/, committed with the change (plan and check read it;',
      'plan prints each blocked change\'s entry under "accept with"):',
      '  accept:',
      '    - { rule: kubernetes-minor-skip, cluster: dev-use1, fingerprint: 3f9a1c2b7d4e, reason: "never deployed; nothing to upgrade" }',
    ].join('\n'))
    .action(async (flags: PlanFlags, command: Command) => {
      const { runPlan } = await import('../actions/plan');
      await runPlan(context, flags, command);
    });
}
