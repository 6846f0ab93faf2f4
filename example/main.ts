import { buildExampleFleet } from './fleet';
import { synthFleet } from '../src';

// `npm run synth` and `cdk8s synth` both run this. Bad input fails before dist/ is touched: synthFleet prints the
// message (it names the construct, the value and the fix) without a stack trace, and exits non-zero.
synthFleet(() => buildExampleFleet());
