import * as fs from 'fs';
import { SCRATCH_OWNER_VARIABLE, SCRATCH_VARIABLE } from './global-setup';

/** Jest's global teardown: removes the scratch folder the global setup made, with whatever a test left in it. */
export default function globalTeardown(): void {
  const scratch = process.env[SCRATCH_VARIABLE];
  if (scratch !== undefined && process.env[SCRATCH_OWNER_VARIABLE] === String(process.pid)) {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
