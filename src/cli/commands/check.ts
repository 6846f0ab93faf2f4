import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import * as YAML from 'yaml';
import { allowances, planAgainst } from './plan';
import { readFiles } from '../../operations/dist-fleet';
import { GENERATED_HEADER } from '../../output/render';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import type { GlobalOptions } from '../options';

/** `arlonctl check` found problems: exit status 1, after they have been printed. */
export class CheckFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

/** `arlonctl check`: for CI, is dist/ fresh and is the change safe? */
export function checkCommand(context: CommandContext): Command {
  return new Command('check')
    .description('For CI: fail when dist/ is not what a fresh synth produces, or when the plan against --base is blocked. '
      + 'Prints one line per problem.')
    .option('--base <ref>', 'git ref to plan against (in CI, the branch the change merges into)', 'HEAD')
    .option('--app <command>', 'the command that synthesizes the fleet (default: `app` of ./cdk8s.yaml); run with CDK8S_OUTDIR set')
    .option('--allow <rule[=cluster]>', 'let a blocked change through; repeatable', (v: string, p: string[]) => [...p, v], [])
    .addHelpText('after', ['', 'Examples:', '  arlonctl check --base origin/main', '  arlonctl check --app "npx ts-node main.ts"'].join('\n'))
    .action((flags: { base: string; app?: string; allow: string[] }, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const allow = allowances(flags.allow);
      const app = flags.app ?? appFromCdk8sYaml();
      const problems = [...staleFiles(app, options.dist)];
      const { plan } = planAgainst(options.dist, flags.base, allow);
      for (const cluster of plan.clusters) {
        for (const item of cluster.items.filter((i) => i.blocked && !i.allowedBy)) {
          problems.push(`blocked (${item.blocked!.rule}): cluster ${cluster.cluster}: ${item.message}; fix: ${item.blocked!.fix}`);
        }
      }
      for (const item of plan.fleet.filter((i) => i.blocked && !i.allowedBy)) {
        problems.push(`blocked (${item.blocked!.rule}): ${item.message}; fix: ${item.blocked!.fix}`);
      }
      if (problems.length > 0) {
        context.io.stdout(problems.map((p) => `${p}\n`).join(''));
        throw new CheckFailedError(`${problems.length} problem(s); run arlonctl plan --base ${flags.base} for the whole plan`);
      }
      const changed = plan.clusters.length;
      context.io.stdout(`ok: ${options.dist} matches a fresh synth, and the plan against ${flags.base} changes ${changed} cluster(s) with nothing blocked\n`);
    });
}

function appFromCdk8sYaml(): string {
  const file = path.resolve('cdk8s.yaml');
  if (!fs.existsSync(file)) {
    throw new UsageError(`there is no cdk8s.yaml in ${process.cwd()} to name the app; pass the synth command with --app`);
  }
  const app = (YAML.parse(fs.readFileSync(file, 'utf8')) as { app?: string } | null)?.app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new UsageError(`${file} has no \`app\`; pass the synth command with --app`);
  }
  return app;
}

/** One line per generated file in which `dist` differs from what `app` writes into a scratch directory. */
function staleFiles(app: string, dist: string): string[] {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'arlonctl-check-'));
  try {
    const run = spawnSync(app, { shell: true, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: scratch } });
    if (run.status !== 0) {
      const tail = `${run.stderr ?? ''}${run.stdout ?? ''}`.trim().split('\n').slice(-5).join(' / ');
      return [`synth failed: \`${app}\` exited with ${run.status ?? run.signal}: ${tail}`];
    }
    const fresh = readFiles(scratch);
    const committed = new Map([...readFiles(dist)].filter(([, text]) => text.startsWith(GENERATED_HEADER)));
    const problems: string[] = [];
    for (const file of [...new Set([...fresh.keys(), ...committed.keys()])].sort()) {
      if (!committed.has(file)) {
        problems.push(`stale: ${file} is missing from ${dist}; run the synth and commit ${dist}`);
      } else if (!fresh.has(file)) {
        problems.push(`stale: ${file} is in ${dist} but a fresh synth does not produce it; run the synth and commit ${dist}`);
      } else if (fresh.get(file) !== committed.get(file)) {
        problems.push(`stale: ${file} differs from a fresh synth; run the synth and commit ${dist}`);
      }
    }
    return problems;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
