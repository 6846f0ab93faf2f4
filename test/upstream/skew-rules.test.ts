/**
 * Tests of `skew-rules.ts`; the examples come from kubernetes-sigs/cluster-api v1.14.0 docs/book/src/reference/versions.md
 * (#skip-upgrades: "v1.6.x ... up to v1.9.x") and `internal/contract/version.go`.
 */
import { getCompatibleContractVersions, providerUpgradeProblem, SKEW_RULES } from './skew-rules';

describe('skew rules', () => {
  test('GetCompatibleVersions (internal/contract/version.go)', () => {
    expect([...getCompatibleContractVersions('v1beta2')].sort()).toEqual(['v1beta1', 'v1beta2']);
    expect([...getCompatibleContractVersions('v1beta1')]).toEqual(['v1beta1']);
  });

  test('the rule data', () => {
    const capi = SKEW_RULES.find((r) => r.component === 'cluster-api')!;
    expect(capi).toMatchObject({ maySkipMinors: true, maxMinorJump: 3, downgradesSupported: false });
    expect(SKEW_RULES.find((r) => r.component === 'cluster-api-provider-aws')).toMatchObject({ maySkipMinors: undefined, downgradesSupported: undefined });
  });

  test('n-3 skip upgrades (versions.md example v1.6 -> v1.9)', () => {
    expect(providerUpgradeProblem({ capi: 'v1.6.3', capa: 'v2.4.0' }, { capi: 'v1.9.0', capa: 'v2.7.1' })).toBeUndefined();
    expect(providerUpgradeProblem({ capi: 'v1.10.0', capa: 'v2.8.0' }, { capi: 'v1.14.0', capa: 'v2.11.1' })).toMatch(/n-3/);
    expect(providerUpgradeProblem({ capi: 'v1.11.1', capa: 'v2.9.0' }, { capi: 'v1.14.0', capa: 'v2.11.1' })).toBeUndefined();
  });

  test('downgrades', () => {
    expect(providerUpgradeProblem({ capi: 'v1.14.0', capa: 'v2.11.1' }, { capi: 'v1.13.2', capa: 'v2.11.1' })).toMatch(/downgrades/);
    // CAPA downgrades: upstream silent, not flagged.
    expect(providerUpgradeProblem({ capi: 'v1.14.0', capa: 'v2.11.1' }, { capi: 'v1.14.0', capa: 'v2.10.0' })).toBeUndefined();
  });

  test('contracts: a v1beta1 CAPA under a v1beta2 core is (temporarily) compatible; clusterctl must match the target core contract', () => {
    expect(providerUpgradeProblem({ capi: 'v1.13.0', capa: 'v2.11.1' }, { capi: 'v1.14.0', capa: 'v2.11.1' })).toBeUndefined();
    // clusterctl v1.14 (v1beta2) cannot take the core to a v1beta1-contract release.
    expect(providerUpgradeProblem({ capi: 'v1.9.0', capa: 'v2.7.0' }, { capi: 'v1.10.0', capa: 'v2.8.0' }, 'v1.14.0'))
      .toMatch(/could only upgrade the core provider to v1beta2/);
    // v0.7 CAPA (v1alpha4) is not compatible with a v1.x core.
    expect(providerUpgradeProblem({ capi: 'v1.13.0', capa: 'v0.7.0' }, { capi: 'v1.14.0', capa: 'v0.7.0' })).toMatch(/v1alpha4 contract/);
  });

  test('documented end of v1beta1 contract compatibility (v1.16) and unknown series', () => {
    expect(providerUpgradeProblem({ capi: 'v1.14.0', capa: 'v2.11.1' }, { capi: 'v1.16.0', capa: 'v2.11.1' })).toMatch(/EOL in Cluster API v1.16/);
    expect(providerUpgradeProblem({ capi: 'v1.14.0', capa: 'v2.11.1' }, { capi: 'v1.15.0', capa: 'v2.11.1' })).toMatch(/^unknown: Cluster API/);
    expect(providerUpgradeProblem({ capi: 'v1.14.0', capa: 'v2.11.1' }, { capi: 'v1.14.0', capa: 'v2.12.0' })).toMatch(/^unknown: CAPA/);
  });
});
