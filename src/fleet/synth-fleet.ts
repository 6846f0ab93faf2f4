import type { Fleet } from './fleet';
import { libraryMessage } from '../_errors';
import type { WriteReport } from '../output/write';

/** Where `synthFleet` prints, and what it reads of the environment (the process's, unless a test gives others). */
export interface SynthFleetOptions {
  /** @default process.stderr.write */
  readonly stderr?: (text: string) => void;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The main of a fleet program: builds the fleet with `build` and synthesizes it (`Fleet.synth()` prints the one-line
 * summary). When building or synthesizing fails, prints `synth failed` and the library's message, which names the
 * construct, the value and the fix, without a stack trace into the library (set `ARLON_DEBUG=1` for it), sets the
 * exit status to 1, and returns undefined; `dist/` is then exactly as it was.
 *
 * @example
 *   // main.ts, run by `npm run synth`
 *   synthFleet(() => buildFleet());
 */
export function synthFleet(build: () => Fleet, options: SynthFleetOptions = {}): WriteReport | undefined {
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  const env = options.env ?? process.env;
  try {
    return build()._synthesize(stderr);
  } catch (error) {
    const debug = env.ARLON_DEBUG !== undefined && env.ARLON_DEBUG !== '' && env.ARLON_DEBUG !== '0';
    // Errors of the constructs library (a duplicate id in the program's own code) are told in the library's format.
    const detail = error instanceof Error && debug ? error.stack ?? error.message : libraryMessage(error);
    stderr(`synth failed; the output folder was not changed\n${detail}\n${debug ? '' : '(set ARLON_DEBUG=1 for the stack trace)\n'}`);
    process.exitCode = 1;
    return undefined;
  }
}
