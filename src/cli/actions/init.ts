import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { credentialInUrlProblem, findCredential } from '../../_credentials';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { libraryDependency } from '../init-library';
import { bootstrapPackage, fleetRepositoryFiles, type FleetRepository } from '../init-templates';
import { libraryVersion } from '../version';

/** Fleet names: a DNS label, as the `Fleet` requires (it names Argo CD objects and labels). */
const FLEET_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/**
 * Why `--repo-url` must not be written into the fleet's source (a user and password or token in it, a token in its
 * query), or undefined. The message never quotes the URL, only the bare one when that is safe to show.
 */
export function repoUrlCredentialsProblem(url: string): string | undefined {
  const problem = credentialInUrlProblem('--repo-url', url);
  if (problem === undefined) {
    return undefined;
  }
  const found = findCredential(url);
  const bare = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/\s]*@/i, '$1').replace(/[?#].*$/, '');
  const suggestion = findCredential(bare) === undefined && bare !== url ? ` (here "${bare}")` : '';
  return `--repo-url carries credentials (${found?.what ?? 'a user name and secret in the URL'}); init writes the URL into src/fleet.ts and dist/, `
    + `which are committed to git, so give the bare URL${suggestion}, and give Argo CD the credentials when you deploy: `
    + '`ARLON_REPO_PASSWORD=<token> arlonctl deploy --repo-username <user>`. Nothing was written; revoke the token if it was shared';
}

/** The flags of `init`. */
export interface InitFlags {
  readonly name: string;
  readonly repoUrl: string;
  readonly branch: string;
  readonly library?: string;
}

/** Runs `arlonctl init` (see `initCommand`). */
export function runInit(context: CommandContext, flags: InitFlags): void {
  if (!FLEET_NAME.test(flags.name)) {
    throw new UsageError(`--name "${flags.name}" is not a fleet name; use lowercase letters, digits and "-", at most 40, e.g. acme`);
  }
  const credentials = repoUrlCredentialsProblem(flags.repoUrl);
  if (credentials !== undefined) {
    throw new UsageError(credentials);
  }
  const root = process.cwd();
  const existingFile = path.join(root, 'package.json');
  const existing = fs.existsSync(existingFile) ? JSON.parse(fs.readFileSync(existingFile, 'utf8')) as Record<string, unknown> : undefined;
  const installed = (existing?.dependencies as Record<string, string> | undefined)?.['cdk8s-arlon'];
  const library = libraryDependency(root, flags.library ?? installed, libraryVersion());
  const repo: FleetRepository = { name: flags.name, repoUrl: flags.repoUrl, branch: flags.branch, library: library.spec };
  const files = fleetRepositoryFiles(repo);
  const taken = [...files.keys(), ...library.copy === undefined ? [] : [library.copy.to]].filter((file) => fs.existsSync(path.join(root, file)));
  if (taken.length > 0) {
    throw new UsageError(`${root} already has ${taken.join(', ')}; init writes a new fleet repository, so run it in an empty folder (or one with only package.json)`);
  }
  const branch = branchProblem(root, flags.branch);
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  const written = [...files.keys()];
  if (library.copy !== undefined) {
    fs.mkdirSync(path.dirname(path.join(root, library.copy.to)), { recursive: true });
    fs.copyFileSync(library.copy.from, path.join(root, library.copy.to));
    written.push(`${library.copy.to} (the library's tarball: commit it, CI installs it from there)`);
  }
  fs.writeFileSync(existingFile, `${JSON.stringify(bootstrapPackage(repo, existing), null, 2)}\n`);
  context.io.stdout([...written, 'package.json'].map((file) => `wrote ${file}\n`).join('')
    + 'next: npm install && npx projen   (projen writes the rest and installs it), then npx projen synth && npx projen test:update (review the snapshots), and commit\n');
  if (branch !== undefined) {
    context.io.stderr(`warning: ${branch}\n`);
  }
}

/**
 * Why the fleet's branch and the repository's disagree (`git init` gives `master` where git's default was never
 * changed, and the fleet, its workflow and Argo CD follow `--branch`), or undefined.
 */
export function branchProblem(root: string, branch: string): string | undefined {
  const head = spawnSync('git', ['symbolic-ref', '--short', '-q', 'HEAD'], { cwd: root, encoding: 'utf8' });
  if (head.error !== undefined || /not a git repository/.test(head.stderr)) {
    return `${root} is not a git repository; Argo CD pulls dist/ from git: \`git init -b ${branch}\` and commit what init writes`;
  }
  const current = head.stdout.trim();
  if (current === '' || current === branch) {
    return undefined;
  }
  return `this repository's branch is "${current}", but the fleet deploys from "${branch}" (--branch: the Fleet's targetRevision, the workflow's `
    + `target); Argo CD would not find it. Rename the branch (\`git branch -m ${current} ${branch}\`), or follow "${current}": set defaultReleaseBranch in .projenrc.ts and `
    + 'targetRevision in src/fleet.ts to it';
}
