import { spawn } from 'child_process';

/**
 * The folder the fleet's app runs in: the working folder, or the repository root `arlonctl` found above it when run
 * from a subfolder without `--dist` (see `findRepositoryRoot`).
 */
let appFolder: string | undefined;

/** Runs the fleet's app in `dir` (undefined: the working folder) from now on. */
export function runAppsIn(dir: string | undefined): void {
  appFolder = dir;
}

/** The folder the fleet's app runs in; undefined: the working folder. */
export function appsFolder(): string | undefined {
  return appFolder;
}

/** How long the synth may run, and what stops it early. */
export interface AppLimits {
  readonly timeoutMs: number;
  /** `--app-timeout` as given, for the message. */
  readonly timeout: string;
  readonly signal: AbortSignal;
}

/** The last lines a run printed, on one line, for a message. */
export function outputTail(run: Pick<AppRun, 'stdout' | 'stderr'>): string {
  return `${run.stderr}${run.stdout}`.trim().split('\n').slice(-5).join(' / ');
}

/** How the synth ended, with the end of what it printed. */
export interface AppRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** The most of each output stream kept for the message: its last lines are all that is shown. */
const OUTPUT_TAIL = 64 * 1024;
const POSIX = process.platform !== 'win32';

/**
 * Runs the synth through the shell, with stdin closed, in a process group of its own, so that on timeout, on the
 * command's deadline or on Ctrl-C the whole group stops: a shell's children would otherwise keep running (and keep
 * its output open).
 */
export function runApp(app: string, env: NodeJS.ProcessEnv, limits: AppLimits): Promise<AppRun> {
  return new Promise((resolve) => {
    const child = spawn(app, { shell: true, env, cwd: appFolder, stdio: ['ignore', 'pipe', 'pipe'], detached: POSIX });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const stop = () => {
      try {
        if (POSIX && child.pid !== undefined) {
          process.kill(-child.pid, 'SIGKILL');
        } else {
          child.kill('SIGKILL');
        }
      } catch {
        // The group is gone already.
      }
    };
    const interrupted = (signal: NodeJS.Signals) => {
      stop();
      release();
      process.kill(process.pid, signal);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, limits.timeoutMs);
    const release = () => {
      clearTimeout(timer);
      limits.signal.removeEventListener('abort', stop);
      process.removeListener('SIGINT', interrupted);
      process.removeListener('SIGTERM', interrupted);
    };
    limits.signal.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString('utf8')).slice(-OUTPUT_TAIL)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-OUTPUT_TAIL)));
    child.on('error', (error) => {
      release();
      resolve({ status: null, signal: null, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on('close', (status, signal) => {
      release();
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
}
