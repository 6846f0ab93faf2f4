// Apart from output-folders.ts (which loads cdk8s): arlonctl sets it when it runs the synth.
/** Environment variable by which `arlonctl check` (or a script) sends a synth elsewhere, whatever the program says. */
export const ARLON_OUTDIR = 'ARLON_OUTDIR';

/**
 * Environment variable by which `arlonctl check` asks a synth for the digests of its files instead of the files: its
 * value is the file to write them into (see `output/digests.ts`).
 */
export const ARLON_DIGESTS = 'ARLON_DIGESTS';
