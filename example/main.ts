import { buildExampleFleet } from './fleet';

// `npm run synth` and `cdk8s synth` both run this. Bad input fails before dist/ is touched: print the message
// (it names the construct, the value and the fix) without a stack trace, and exit non-zero.
try {
  const fleet = buildExampleFleet();
  const report = fleet.writeFiles();
  process.stderr.write(`synthesized fleet "${fleet.name}" into ${fleet.outdir}: `
    + `${report.written} written, ${report.unchanged} unchanged, ${report.removed} removed\n`);
} catch (error) {
  process.stderr.write(`synth failed; dist/ was not changed\n${(error as Error).message}\n`);
  process.exitCode = 1;
}
