import { buildExampleFleet } from './fleet';

// `npm run synth` and `cdk8s synth` both run this; a failure exits non-zero before dist/ is touched.
const fleet = buildExampleFleet();
const report = fleet.writeFiles();
process.stderr.write(`synthesized fleet "${fleet.name}" into ${fleet.outdir}: `
  + `${report.written} written, ${report.unchanged} unchanged, ${report.removed} removed\n`);
