import * as fs from 'fs';

/**
 * Takes the lock `file` for this process: creates it holding the process id, or fails with `busy(pid)` while the
 * process that holds it is alive; a lock whose process died (killed, or crashed before releasing) is taken over.
 * Returns the function that releases it.
 */
export function takePidLock(file: string, busy: (holder: number) => Error): () => void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw error;
      }
      const holder = Number(readOrEmpty(file).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw busy(holder);
      }
      fs.rmSync(file, { force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A file's text, or '' when it cannot be read. */
export function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
