import { spawn, spawnSync } from 'child_process';
import * as path from 'path';
import * as readline from 'readline';

/** Room for git's answers: a fleet's dist/ can hold hundreds of megabytes. */
const MAX_BUFFER = 1024 * 1024 * 1024;

/** git could not answer: not a repository, or an unknown ref. */
export class GitError extends Error {
  constructor(message: string, public readonly unknownRef = false) {
    super(message);
    this.name = 'GitError';
  }
}

/** The repository holding `dir`, and `dir`'s path inside it. */
export function locateInRepository(dir: string): { root: string; inside: string } {
  const result = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: path.resolve(dir), encoding: 'utf8' });
  if (result.status !== 0) {
    throw new GitError(`${dir} is not inside a git repository; plan and check compare dist/ with a git ref, so run them in the fleet repository`);
  }
  const root = result.stdout.trim();
  return { root, inside: path.relative(root, path.resolve(dir)).split(path.sep).join('/') };
}

/** The commit `ref` names, shortened, for messages. */
export function resolveRef(root: string, ref: string): string {
  const result = spawnSync('git', ['rev-parse', '--short', '--verify', '--end-of-options', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new GitError(`--base "${ref}" is not a commit of this repository; give a branch, tag or commit (e.g. HEAD, origin/main)`, true);
  }
  return result.stdout.trim();
}

/**
 * The files under `inside` (a folder of the repository) as they were at `ref`, keyed by path inside that folder; an
 * empty map when the folder did not exist then; `keep` selects the files to read. Two git processes whatever the
 * number of files: `ls-tree` for the blobs, and one `cat-file --batch` for their content.
 */
export function filesAtRef(root: string, ref: string, inside: string, keep: (file: string) => boolean = () => true): Map<string, string> {
  const tree = spawnSync('git', ['ls-tree', '-r', '-z', '--full-tree', ref, '--', inside], { cwd: root, encoding: 'utf8', maxBuffer: MAX_BUFFER });
  if (tree.status !== 0) {
    throw new GitError(`git ls-tree ${ref} failed: ${tree.stderr.trim()}`);
  }
  const blobs = tree.stdout.split('\0').filter((line) => line !== '').map((line) => {
    const tab = line.indexOf('\t');
    const file = line.slice(tab + 1);
    return { sha: line.slice(0, tab).split(' ')[2], file: inside === '' ? file : file.slice(inside.length + 1) };
  }).filter((blob) => keep(blob.file));
  if (blobs.length === 0) {
    return new Map();
  }
  const batch = spawnSync('git', ['cat-file', '--batch'], { cwd: root, input: `${blobs.map((b) => b.sha).join('\n')}\n`, maxBuffer: MAX_BUFFER });
  if (batch.status !== 0) {
    throw new GitError(`git cat-file failed: ${batch.stderr.toString().trim()}`);
  }
  // Each answer is "<sha> blob <size>\n<content>\n", in the order asked.
  const out = batch.stdout;
  const files = new Map<string, string>();
  let offset = 0;
  for (const blob of blobs) {
    const headerEnd = out.indexOf(0x0a, offset);
    const size = Number(out.subarray(offset, headerEnd).toString('utf8').split(' ')[2]);
    files.set(blob.file, out.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'));
    offset = headerEnd + 1 + size + 1;
  }
  return files;
}

/**
 * The files under `inside` whose content in the working tree differs from `ref`: changed, added (untracked too) or
 * deleted, by path inside that folder. git answers from its index and the files' stat data, hashing only files whose
 * stat changed, and a synthesis leaves unchanged files untouched: the cost follows the change, not the fleet.
 */
export function changedSince(root: string, ref: string, inside: string): Set<string> {
  const scope = inside === '' ? '.' : inside;
  const run = (args: string[]) => {
    const result = spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: MAX_BUFFER });
    if (result.status !== 0) {
      throw new GitError(`git ${args[0]} failed: ${result.stderr.trim()}`);
    }
    return result.stdout.split('\0').filter((line) => line !== '');
  };
  const paths = [
    ...run(['diff', '--name-only', '-z', '--no-renames', ref, '--', scope]),
    ...run(['ls-files', '-z', '--others', '--exclude-standard', '--', scope]),
  ];
  return new Set(paths.map((file) => (inside === '' ? file : file.slice(inside.length + 1))));
}

/** The text of one file of the repository at `ref` (a path from the repository's root), or undefined when it had none. */
export function fileAtRef(root: string, ref: string, file: string): string | undefined {
  const result = spawnSync('git', ['cat-file', '-p', `${ref}:${file}`], { cwd: root, encoding: 'utf8', maxBuffer: MAX_BUFFER });
  return result.status === 0 ? result.stdout : undefined;
}

/**
 * The commit that last changed each of `paths` (files or folders, from the repository's root), newest first along
 * HEAD's history: one `git log` whatever their number, stopped as soon as every path is found. A path no commit has
 * changed is absent from the answer.
 */
export async function lastCommitsChanging(root: string, paths: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Set(paths.map((p) => p.replace(/\/+$/, '')));
  const found = new Map<string, string>();
  if (wanted.size === 0) {
    return found;
  }
  const git = spawn('git', ['log', '--format=%x1e%H', '--name-only', '--no-renames', 'HEAD', '--'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  git.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    git.on('error', reject);
    git.on('close', resolve);
  });
  let commit = '';
  const lines = readline.createInterface({ input: git.stdout, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.startsWith('\x1e')) {
      commit = line.slice(1);
      continue;
    }
    if (line === '') {
      continue;
    }
    // the file, each folder above it, and the whole repository ('') may be a path asked about
    if (wanted.has('') && !found.has('')) {
      found.set('', commit);
    }
    for (let at = line.length; at > 0; at = line.lastIndexOf('/', at - 1)) {
      const candidate = line.slice(0, at);
      if (wanted.has(candidate) && !found.has(candidate)) {
        found.set(candidate, commit);
      }
    }
    if (found.size === wanted.size) {
      git.kill();
      break;
    }
  }
  const code = await exited;
  if (found.size < wanted.size && code !== 0 && !/does not have any commits|unknown revision|bad revision/.test(stderr)) {
    throw new GitError(`git log failed: ${stderr.trim()}`);
  }
  return found;
}

/**
 * Whether commit `descendant` contains commit `ancestor` (is it, or comes after it); undefined when this clone does not
 * have `descendant` (a commit pushed from elsewhere: fetch first).
 */
export function commitContains(root: string, ancestor: string, descendant: string): boolean | undefined {
  const result = spawnSync('git', ['merge-base', '--is-ancestor', ancestor, descendant], { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? true : result.status === 1 ? false : undefined;
}
