import * as YAML from 'yaml';
import { buildExampleFleet } from '../example/fleet';
import { providerUpgradeProblem } from './upstream/skew-rules';
import { readDistFiles } from '../src/operations/dist-fleet';
import { providerVersionChanges } from '../src/operations/management-upgrades';
import { computePlan } from '../src/operations/plan';

const CORE = 'management/providers/CoreProvider.cluster-api.yaml';
const CAPA = 'management/providers/InfrastructureProvider.aws.yaml';
const files = buildExampleFleet({ outdir: '/nonexistent-dist' }).renderFiles();

/** The example's dist/ with the providers at other versions, as a synth with other pins would write it. */
function withVersions(capi: string, capa: string): Map<string, string> {
  const next = new Map(files);
  for (const [file, version] of [[CORE, capi], [CAPA, capa]]) {
    const [header, ...rest] = files.get(file)!.split('\n');
    const obj = YAML.parse(rest.join('\n')) as { spec: { version: string } };
    next.set(file, `${header}\n${YAML.stringify({ ...obj, spec: { ...obj.spec, version } })}`);
  }
  return next;
}

describe('a version change of the management plane\'s providers', () => {
  test.each([
    // [from capi, from capa, to capi, to capa]
    ['v1.14.0', 'v2.11.1', 'v1.14.2', 'v2.11.1'],
    ['v1.11.0', 'v2.10.0', 'v1.14.0', 'v2.11.1'],
    ['v1.10.3', 'v2.11.1', 'v1.14.0', 'v2.11.1'],
    ['v1.14.0', 'v2.11.1', 'v1.13.4', 'v2.11.1'],
    ['v1.14.0', 'v2.11.1', 'v1.14.0', 'v2.10.2'],
    ['v1.13.0', 'v2.11.1', 'v1.16.0', 'v2.11.1'],
    ['v1.14.0', 'v2.11.0', 'v1.14.0', 'v2.11.1'],
  ])('%s/%s -> %s/%s is blocked exactly when the upstream rules (ported) or the operator refuse it', (fromCapi, fromCapa, toCapi, toCapa) => {
    const base = readDistFiles(withVersions(fromCapi, fromCapa), 'base');
    const head = readDistFiles(withVersions(toCapi, toCapa), 'head');
    const changes = providerVersionChanges(base, head);
    const upstream = providerUpgradeProblem({ capi: fromCapi, capa: fromCapa }, { capi: toCapi, capa: toCapa });
    // The operator also refuses a minor downgrade of CAPA, where Cluster API's documentation says nothing.
    const capaDowngrade = Number(toCapa.split('.')[1]) < Number(fromCapa.split('.')[1]);
    const refused = upstream !== undefined && !upstream.startsWith('unknown') || capaDowngrade;
    expect([changes.some((c) => c.broken !== undefined), refused]).toEqual([refused, refused]);
    const plan = computePlan(base, head);
    expect(plan.blocked).toBe(refused);
    expect(plan.fleet.filter((i) => i.message.startsWith('management plane: provider')).map((i) => i.message.split(':')[1].trim()))
      .toEqual(changes.map((c) => `provider ${c.provider} ${c.from} -> ${c.to}`));
  });

  test('the plan names the rule, why, and the way through', () => {
    const plan = computePlan(readDistFiles(withVersions('v1.10.0', 'v2.11.1'), 'base'), readDistFiles(withVersions('v1.14.0', 'v2.11.1'), 'head'));
    expect(plan.fleet).toContainEqual(expect.objectContaining({
      message: 'management plane: provider cluster-api v1.10.0 -> v1.14.0: Cluster API skips at most three minor versions in one upgrade (v1.10.0 -> v1.14.0 skips 3)',
      blocked: expect.objectContaining({ rule: 'management-minor-skip', fix: 'upgrade in steps of at most three minors, one commit each' }),
    }));
    expect(computePlan(readDistFiles(withVersions('v1.10.0', 'v2.11.1'), 'base'), readDistFiles(withVersions('v1.14.0', 'v2.11.1'), 'head'),
      [{ rule: 'management-minor-skip' }]).blocked).toBe(false);
  });
});
