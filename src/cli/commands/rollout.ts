import { Command } from 'commander';
import type { PromoteFlags, RolloutStatusFlags, RolloutToggle } from '../actions/rollout';
import type { CommandContext } from '../context';

/** `arlonctl rollout`: where each profile's change stands, and the next wave released when it is safe. */
export function rolloutCommand(context: CommandContext): Command {
  const rollout = new Command('rollout')
    .description('Progressive rollouts of profile changes (see RolloutPolicy): status, promote the next wave, pause, resume, abort. '
      + 'Reads and writes dist.rollout.yaml beside dist/.');
  rollout.addCommand(new Command('status')
    .description('Per profile and wave: the revision its clusters run (from dist/ and dist.rollout.yaml), their health on the management cluster '
      + 'when it can be reached, and what promote would do next.')
    .argument('[profile]', 'one profile (default: every profile that follows a rollout policy)')
    .option('--offline', 'read git alone: no health, and no request to the management cluster')
    .action(async (profile: string | undefined, flags: RolloutStatusFlags, command: Command) => {
      const { runRolloutStatus } = await import('../actions/rollout');
      await runRolloutStatus(context, profile, flags, command);
    }));
  rollout.addCommand(new Command('promote')
    .description('Release the next wave (or the next maxClusters of it) of a profile\'s change, once the clusters already released are healthy '
      + 'and have soaked: updates dist/ and its rollout state (dist.rollout.yaml) for you to review and commit. Refuses with the reasons otherwise.')
    .argument('<profile>', 'the profile whose rollout goes on')
    .option('--approve', 'release a wave that requires approval; recorded in the rollout state with your git identity')
    .option('--skip-soak', 'release before the last released wave has soaked; recorded in the rollout state with your git identity')
    .option('--app <command>', 'the command that synthesizes the fleet (default: `app` of ./cdk8s.yaml)')
    .option('--app-timeout <duration>', 'time allowed for each synth', '10m')
    .option('--allow <rule[=cluster]>', 'let a change the plan blocks through; repeatable', (v: string, p: string[]) => [...p, v], [])
    .addHelpText('after', ['', 'Examples:', '  arlonctl rollout promote standard', '  arlonctl rollout promote standard --approve',
      '  arlonctl rollout promote standard --approve --skip-soak'].join('\n'))
    .action(async (profile: string, flags: PromoteFlags, command: Command) => {
      const { runPromote } = await import('../actions/rollout');
      await runPromote(context, profile, flags, command);
    }));
  for (const [name, description] of TOGGLES) {
    rollout.addCommand(new Command(name)
      .description(description)
      .argument('<profile>', 'the profile')
      .action(async (profile: string, _flags: unknown, command: Command) => {
        const { runToggle } = await import('../actions/rollout');
        await runToggle(context, name, profile, command);
      }));
  }
  for (const sub of rollout.commands) {
    sub.exitOverride().configureOutput({ writeOut: context.io.stdout, writeErr: context.io.stderr });
  }
  return rollout;
}

/** The rollout commands that only change the rollout state, in the order help lists them. */
const TOGGLES: ReadonlyArray<readonly [RolloutToggle, string]> = [
  ['pause', 'Stop promote from releasing further waves of the profile\'s change until resume.'],
  ['resume', 'Let promote release the waves of the profile\'s change again.'],
  ['abort', 'Give up the profile\'s change: promote refuses it, the waves not released keep their revision, and the next change of the profile '
    + '(the reviewed revert) reaches the clusters that run the aborted revision at once.'],
];
