import { Command, CommanderError } from 'commander';
import { checkCommand } from './commands/check';
import { deployCommand } from './commands/deploy';
import { listCommand } from './commands/list';
import { planCommand } from './commands/plan';
import { registerCommand } from './commands/register';
import { statusCommand } from './commands/status';
import { CommandContext, TargetedError } from './context';
import { EXIT, UsageError, describeError } from './errors';
import type { GlobalOptions } from './options';
import type { Io } from './output';

/** Builds the `arlonctl` program. */
export function program(context: CommandContext): Command {
  const root = new Command('arlonctl')
    .description('Register a cdk8s-arlon fleet with Argo CD, register its workload clusters, and show fleet status.')
    .option('--dist <dir>', 'the synthesized fleet', 'dist')
    .option('--kubeconfig <file>', 'kubeconfig of the management cluster (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context of the management cluster (default: the current context)')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--request-timeout <duration>', 'time allowed for one request to the API server', '30s')
    .option('--verbose', 'print stack traces of unexpected errors')
    .showSuggestionAfterError()
    .configureOutput({ writeOut: context.io.stdout, writeErr: context.io.stderr })
    .exitOverride()
    .addHelpText('after', [
      '',
      'Examples:',
      '  npm run synth && git commit -am "fleet change" && git push',
      '  arlonctl deploy --dry-run        # what registering the fleet with Argo CD would change',
      '  arlonctl deploy                  # register the fleet once; Argo CD pulls every later change from git',
      '  arlonctl register --watch        # register workload clusters in Argo CD as they come up',
      '  arlonctl status                  # one row per cluster',
      '  arlonctl list clusters           # from dist/ alone',
      '  arlonctl plan                    # what the uncommitted change to dist/ does, with the upgrade guards',
      '  arlonctl check --base origin/main  # for CI: dist/ fresh and the change safe',
      '',
      'Exit status: 0 success, 1 failure, 2 usage error.',
    ].join('\n'));
  const commands = [deployCommand, registerCommand, statusCommand, listCommand, planCommand, checkCommand].map((make) => make(context));
  for (const command of commands) {
    root.addCommand(command.exitOverride().configureOutput({ writeOut: context.io.stdout, writeErr: context.io.stderr }));
  }
  return root;
}

/** Runs `arlonctl` with `args` (without node and the script) and returns the exit status. */
export async function main(args: readonly string[], io: Io, context = new CommandContext(io)): Promise<number> {
  const root = program(context);
  if (args.length === 0) {
    io.stderr(root.helpInformation());
    return EXIT.USAGE;
  }
  try {
    await root.parseAsync([...args], { from: 'user' });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help) already.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const cause = error instanceof TargetedError ? error.cause : error;
    const { message, exitCode } = describeError(cause, error instanceof TargetedError ? error.target : undefined);
    io.stderr(`error: ${message}\n`);
    if (exitCode === EXIT.USAGE && !(cause instanceof UsageError && /--help/.test(message))) {
      io.stderr('run arlonctl --help for usage\n');
    }
    if (root.opts<GlobalOptions>().verbose && cause instanceof Error && cause.stack) {
      io.stderr(`${cause.stack}\n`);
    }
    return exitCode;
  }
}

/** The process entry point used by bin/arlonctl. */
export function run(): void {
  // A reader that stops early (`arlonctl list clusters | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      process.exit(process.exitCode ?? EXIT.OK);
    }
    throw error;
  });
  const io: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
