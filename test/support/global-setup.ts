import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The folder of the running tests' scratch files, in memory; set by this setup, read by the teardown. */
export const SCRATCH_VARIABLE = 'ARLON_TEST_SCRATCH';
/** The process that made it: only its teardown removes it (a Jest the tests start inherits the variables). */
export const SCRATCH_OWNER_VARIABLE = 'ARLON_TEST_SCRATCH_OWNER';

/**
 * A folder for what the tests derive from fixed inputs and keep under the hash of those inputs (the CRDs parsed, see
 * crd-schemas.ts), shared by the run's test files: in the run's scratch folder, so that every run starts as a fresh
 * clone does (and its figures are a fresh clone's); in the temporary folder where there is no scratch folder.
 */
export const CACHE_VARIABLE = 'ARLON_TEST_CACHE';

/** A folder in memory, where the machine has one: Linux's /dev/shm. */
const MEMORY_FOLDER = '/dev/shm';

/**
 * Jest's global setup, run once before the workers start: when the machine has a folder in memory, the tests' scratch
 * files (os.tmpdir() in the workers and in every process they start, which inherit TMPDIR) go to a folder of this run
 * there. The tests write and delete a synthesized fleet (about 150 files) hundreds of times; on a disk that discards
 * freed blocks, deleting them cost more than writing them. Nothing else changes: the repository's own files stay where
 * they are. The global teardown removes the folder.
 */
export default function globalSetup(): void {
  if (process.env[SCRATCH_VARIABLE] === undefined && isWritableFolder(MEMORY_FOLDER)) {
    const scratch = fs.mkdtempSync(path.join(MEMORY_FOLDER, 'cdk8s-arlon-test-'));
    process.env[SCRATCH_VARIABLE] = scratch;
    process.env[SCRATCH_OWNER_VARIABLE] = String(process.pid);
    process.env.TMPDIR = scratch;
  }
  process.env[CACHE_VARIABLE] ??= path.join(os.tmpdir(), 'cdk8s-arlon-test-cache');
}

function isWritableFolder(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
