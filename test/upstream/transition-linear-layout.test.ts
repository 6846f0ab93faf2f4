/**
 * Issue 26's layout change as the transition it is: bundle ApplicationSets that listed every cluster in a matrix with
 * Argo CD's cluster generator now list fleet clusters alone (external clusters keep the matrix, their registration
 * gate). Run through the transition model (ports of Argo CD v3.5.1's ApplicationSet and application controllers,
 * Kubernetes' garbage collector, `arlonctl register`) and `plan`, from the matrix layout to the list layout, with
 * bundles that keep and bundles that destroy what they installed, a retired cluster and an external one: no order of
 * the controllers deletes an Application or its workloads, since every Application keeps its name and its
 * ApplicationSet; and on the ported controller the list layout still gives an Application only to registered clusters.
 */
import { bundleApplications } from './argocd-instance';
import { Bundle, ExternalCluster, Profile, RemovalPolicy } from '../../src';
import { readDistFiles } from '../../src/operations/dist-fleet';
import { argoCdOnDist } from '../support/argo';
import { matrixBundleLayout } from '../support/previous-layout';
import { blockedLines, buildFleet, findingLines, planOf, transition, type FleetShape } from '../support/transitions';

const destroying = Bundle.helm('app', { repoUrl: 'https://charts.example.com', chart: 'app', version: '1.0.0', namespace: 'app', removalPolicy: RemovalPolicy.DESTROY });
const retaining = Bundle.helm('web', { repoUrl: 'https://charts.example.com', chart: 'web', version: '2.0.0', namespace: 'web' });

const shape: FleetShape = {
  bundles: [destroying, retaining],
  clusters: { a: {}, b: {}, c: { retire: true } },
  tamper: (fleet) => new ExternalCluster(fleet, 'ext', { profiles: [new Profile(fleet, 'ext-profile', { bundles: [destroying] })] }),
};

describe('from the matrix layout to the list layout (issue 26)', () => {
  const files = buildFleet(shape).renderFiles();
  const base = readDistFiles(matrixBundleLayout(files), 'matrix');
  const head = readDistFiles(files, 'list');

  test('the head lists fleet clusters alone, and keeps the external cluster in a matrix with the cluster generator', () => {
    const appSet = [...files].filter(([file]) => /ApplicationSet\.test-bundle-app-\d+\.yaml$/.test(file)).map(([, text]) => text).join('\n');
    expect(appSet).toContain('- list:');
    expect(appSet).toMatch(/- matrix:\n\s+generators:\n\s+- list:\n\s+elements:\n\s+- cluster: ext\n/);
    const before = [...matrixBundleLayout(files)].filter(([file]) => /ApplicationSet\.test-bundle-/.test(file)).map(([, text]) => text).join('\n');
    expect(before).not.toMatch(/^ {4}- list:/m);
    expect(before).toContain('- matrix:');
  });

  test('no order of the controllers deletes anything, and plan passes it', () => {
    const check = transition(base, head);
    expect(findingLines(check)).toEqual([]);
    // the exploration ran: register, the ApplicationSets and the Applications acting in their orders
    expect(check.states).toBeGreaterThan(1);
    const plan = planOf(base, head);
    expect(blockedLines(plan)).toEqual([]);
    // no cluster gains or loses an Application; the plan says once why the ApplicationSets' files changed
    expect(plan.clusters).toEqual([]);
    expect(plan.fleet.map((item) => item.message)).toEqual([expect.stringMatching(
      /^\d+ ApplicationSet\(s\) changed their generators and list the same clusters with the same parameters \(argocd\/shards\/\d+\/ApplicationSet\.test-bundle-.*\): the Applications they generate are the same$/)]);
  });

  test('on the ported controller, an Application only for registered clusters, in both layouts alike', () => {
    for (const clusters of [['a'], ['a', 'b', 'ext'], ['b', 'c']]) {
      const names = (dist: ReadonlyMap<string, string>) => [...bundleApplications(argoCdOnDist(dist, clusters)).keys()].sort();
      expect(names(files)).toEqual(names(matrixBundleLayout(files)));
    }
    expect([...bundleApplications(argoCdOnDist(files, ['a', 'ext'])).keys()].sort()).toEqual(['test--a--app', 'test--a--web', 'test--ext--app']);
  });
});
