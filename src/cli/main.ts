import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { runAppsIn } from './app-run';
import { bootstrapCommand } from './commands/bootstrap';
import { checkCommand } from './commands/check';
import { deployCommand } from './commands/deploy';
import { describeCommand } from './commands/describe';
import { initCommand } from './commands/init';
import { listCommand } from './commands/list';
import { planCommand } from './commands/plan';
import { registerCommand } from './commands/register';
import { rolloutCommand } from './commands/rollout';
import { statusCommand } from './commands/status';
import { CommandContext, TargetedError } from './context';
import { DeadlineError, EXIT, UsageError, describeCommandError } from './errors';
import { DEFAULT_DEADLINE, commandDeadline, type GlobalOptions } from './options';
import type { Io } from './output';
import { findRepositoryRoot } from './repository-root';
import { libraryVersion } from './version';
import { redactSecrets } from '../kube/redact';

/** Builds the `arlonctl` program. */
export function program(context: CommandContext): Command {
  const root = new Command('arlonctl')
    .description('Bootstrap a cdk8s-arlon fleet\'s management plane, register the fleet with Argo CD, register its workload clusters, '
      + 'and show fleet status.')
    .version(libraryVersion(), '-V, --version', 'print the version of arlonctl (that of the cdk8s-arlon library it comes with)')
    .option('--dist <dir>', 'the synthesized fleet (default: dist/ of the fleet repository, found from the working folder up as git finds .git)',
      'dist')
    .option('--kubeconfig <file>', 'kubeconfig of the management cluster (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context of the management cluster (default: the current context)')
    .option('-o, --output <format>', 'text or json (plan: also markdown)', 'text')
    .option('--request-timeout <duration>', 'time allowed for one request to the API server, and for the kubeconfig\'s credential plugin', '30s')
    .option('--deadline <duration>', `time allowed for the whole command, after which it is stopped with an error (default: ${DEFAULT_DEADLINE}, `
      + 'beyond the waits asked for with register --watch --timeout and check --app-timeout)')
    .option('--verbose', 'print stack traces of unexpected errors')
    .showSuggestionAfterError()
    .configureOutput({ writeOut: context.io.stdout, writeErr: context.io.stderr })
    .exitOverride()
    .addHelpText('after', [
      '',
      'Examples:',
      '  arlonctl init --name acme --repo-url https://github.com/acme/fleet.git   # a new fleet repository',
      '  npm run synth && git commit -am "fleet change" && git push',
      '  arlonctl bootstrap               # a bare cluster to the fleet\'s management plane, then register the fleet',
      '  arlonctl deploy --dry-run        # what registering the fleet with Argo CD would change',
      '  arlonctl deploy                  # register the fleet once; Argo CD pulls every later change from git',
      '  arlonctl register --watch        # register workload clusters in Argo CD as they come up',
      '  arlonctl status                  # one row per cluster',
      '  arlonctl list clusters           # from dist/ alone',
      '  arlonctl describe cluster prod-euw1',
      '  arlonctl describe bundle metrics-server   # also: describe profile <name>',
      '  arlonctl plan                    # what the code changes (synthesized first), with the upgrade guards',
      '  arlonctl check --base origin/main  # for CI: dist/ fresh and the change safe',
      '  arlonctl rollout status           # where each profile change stands, wave by wave',
      '  arlonctl rollout promote standard # release the next wave once the released clusters are healthy',
      '',
      'Exit status: 0 success, 1 failure (also when --deadline passes), 2 usage error.',
    ].join('\n'));
  const makers = [
    initCommand, bootstrapCommand, deployCommand, registerCommand, statusCommand, listCommand, describeCommand, planCommand, checkCommand,
    rolloutCommand,
  ];
  const commands = makers.map((make) => make(context));
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
  // The deadline starts once the command line is parsed; when it passes, the command is stopped with an error.
  let deadline: NodeJS.Timeout | undefined;
  let expire: (error: Error) => void = () => undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    expire = reject;
  });
  root.hook('preAction', (_root, action) => {
    useRepositoryRoot(root, action, io);
    const { ms, label } = commandDeadline(action.name(), action.optsWithGlobals());
    deadline = setTimeout(() => {
      context.cancel();
      expire(new DeadlineError(`arlonctl ${action.name()}`, label, context.activity));
    }, ms);
  });
  try {
    await Promise.race([root.parseAsync([...args], { from: 'user' }), expired]);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help) already.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const cause = error instanceof TargetedError ? error.cause : error;
    const own = describeCommandError(cause);
    // Only another error needs error-messages.ts, which loads the error classes of the operations.
    const { message, exitCode } = own !== undefined ? { ...own, message: redactSecrets(own.message) }
      : (await import('./error-messages')).describeError(cause, error instanceof TargetedError ? error.target : undefined);
    io.stderr(`error: ${message}\n`);
    if (exitCode === EXIT.USAGE && !(cause instanceof UsageError && /--help/.test(message))) {
      io.stderr('run arlonctl --help for usage\n');
    }
    if (root.opts<GlobalOptions>().verbose && cause instanceof Error && cause.stack) {
      io.stderr(`${redactSecrets(cause.stack)}\n`);
    }
    return exitCode;
  } finally {
    clearTimeout(deadline);
    runAppsIn(undefined);
  }
}

/**
 * Without `--dist`, a command run in a subfolder of the fleet repository uses the repository's `dist/` (and runs the
 * fleet's app in the repository root), as git finds `.git`; it says so on stderr. `init` is left alone: it writes a new
 * repository in the working folder.
 */
function useRepositoryRoot(root: Command, action: Command, io: Io): void {
  let top = action;
  while (top.parent !== null && top.parent !== root) {
    top = top.parent;
  }
  if (top.name() === 'init' || root.getOptionValueSource('dist') !== 'default') {
    return;
  }
  const cwd = process.cwd();
  const found = findRepositoryRoot(cwd);
  if (found === undefined || found === cwd) {
    return;
  }
  const dist = path.join(found, 'dist');
  root.setOptionValueWithSource('dist', dist, 'default');
  runAppsIn(found);
  io.stderr(`note: using ${dist}, of the fleet repository above the working folder (pass --dist to choose another)\n`);
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
  const context = new CommandContext(io);
  void main(process.argv.slice(2), io, context).then((code) => {
    process.exitCode = code;
    if (context.signal.aborted) {
      // What the deadline stopped may still hold the event loop (a socket, a timer): leave once the output is written.
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    }
  });
}
