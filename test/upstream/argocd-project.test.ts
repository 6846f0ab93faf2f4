/**
 * Ports of argoproj/argo-cd v3.5.1 tests of what an AppProject permits, run against ./argocd-project.ts:
 *
 * - `pkg/apis/application/v1alpha1/types_test.go`: TestAppProject_IsSourcePermitted, TestAppProject_IsNegatedSourcePermitted
 *   and TestAppProject_IsNegatedDestinationPermitted (every case; upstream names none, so each is named by its
 *   patterns), TestAppProject_IsDestinationPermitted (every case), TestGlobMatch (every case, on `projectGlob`, the
 *   port of the package's `globMatch`), TestAppProject_IsGroupKindPermitted (`proj` to `proj6`).
 *   Left out: TestAppProject_IsDestinationPermitted_PermitOnlyProjectScopedClusters (`permitOnlyProjectScopedClusters`
 *   is not ported), `proj7` of TestAppProject_IsGroupKindPermitted (resource names in the cluster whitelist are not
 *   ported), and the tests of project validation, roles, tokens, sync windows and source namespaces.
 * - `util/glob/glob_test.go` Test_Match (every case, on `globMatch`). Left out: Test_MatchList (`MatchStringInList`
 *   and its exact and regexp modes), Test_MatchWithError (the port has no error-returning variant), the caching tests.
 * - `util/git/git_test.go` TestSameURL (every pair): `SameURL` is two `NormalizeGitURL`s compared, written below on
 *   `normalizeGitUrl` (the port never returns upstream's "" for an unparsable URL, so the `AllowInvalid` fallback is
 *   the identity here). Left out: TestIsSSHURL, TestIsSSHURLUserName, TestSSHHostWithPort, TestEnsurePrefix,
 *   TestIsCommitSHA (helpers the port has no counterpart of) and the client tests.
 */
import { globMatch, isDestinationPermitted, isGroupKindPermitted, isSourcePermitted, normalizeGitUrl, projectGlob, type AppProjectSpec } from '../../src/operations/transitions/argocd-project';

type Destination = { name?: string; server?: string; namespace?: string };

describe('types_test.go', () => {
  test.each([
    [['*'], 'https://github.com/argoproj/test.git', true],
    [['https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', true],
    [['ssh://git@GITHUB.com:argoproj/test'], 'ssh://git@github.com:argoproj/test', true],
    [['https://github.com/argoproj/*'], 'https://github.com/argoproj/argoproj.git', true],
    [['https://github.com/test1/test.git', 'https://github.com/test2/test.git'], 'https://github.com/test2/test.git', true],
    [['https://github.com/argoproj/test1.git'], 'https://github.com/argoproj/test2.git', false],
    [['https://github.com/argoproj/*.git'], 'https://github.com/argoproj1/test2.git', false],
    [['https://github.com/argoproj/foo'], 'https://github.com/argoproj/foo1', false],
    [['https://gitlab.com/group/*'], 'https://gitlab.com/group/repo/owner', false],
    [['https://gitlab.com/group/*/*'], 'https://gitlab.com/group/repo/owner', true],
    [['https://gitlab.com/group/*/*/*'], 'https://gitlab.com/group/sub-group/repo/owner', true],
    [['https://gitlab.com/group/**'], 'https://gitlab.com/group/sub-group/repo/owner', true],
  ])('TestAppProject_IsSourcePermitted %j, %s', (sourceRepos, appSource, isPermitted) => {
    expect(isSourcePermitted({ sourceRepos }, appSource)).toBe(isPermitted);
  });

  test.each([
    [['!https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', false],
    [['!ssh://git@GITHUB.com:argoproj/test'], 'ssh://git@github.com:argoproj/test', false],
    [['!https://github.com/argoproj/*'], 'https://github.com/argoproj/argoproj.git', false],
    [['https://github.com/test1/test.git', '!https://github.com/test2/test.git'], 'https://github.com/test2/test.git', false],
    [['!https://github.com/argoproj/foo*'], 'https://github.com/argoproj/foo1', false],
    [['!https://gitlab.com/group/*/*'], 'https://gitlab.com/group/repo/owner', false],
    [['!https://gitlab.com/group/*/*/*'], 'https://gitlab.com/group/sub-group/repo/owner', false],
    [['!https://gitlab.com/group/**'], 'https://gitlab.com/group/sub-group/repo/owner', false],
    [['*'], 'https://github.com/argoproj/test.git', true],
    [['https://github.com/argoproj/test1.git', '*'], 'https://github.com/argoproj/test2.git', true],
    [['!https://github.com/argoproj/*.git', '*'], 'https://github.com/argoproj1/test2.git', true],
  ])('TestAppProject_IsNegatedSourcePermitted %j, %s', (sourceRepos, appSource, isPermitted) => {
    expect(isSourcePermitted({ sourceRepos }, appSource)).toBe(isPermitted);
  });

  /** `IsDestinationPermitted(&Cluster{Server, Name}, namespace, ...)` with no project-scoped clusters. */
  const permitted = (destinations: Destination[], appDest: Destination) =>
    isDestinationPermitted({ destinations }, { name: appDest.name ?? '', server: appDest.server ?? '' }, appDest.namespace ?? '');

  test.each([
    ['server an namespace match', [{ server: 'https://kubernetes.default.svc', namespace: 'default' }],
      { server: 'https://kubernetes.default.svc', namespace: 'default' }, true],
    ['namespace does not match', [{ server: 'https://kubernetes.default.svc', namespace: 'default' }],
      { server: 'https://kubernetes.default.svc', namespace: 'kube-system' }, false],
    ['server does not match', [{ server: 'https://my-cluster', namespace: 'default' }],
      { server: 'https://kubernetes.default.svc', namespace: 'default' }, false],
    ['wildcard namespace', [{ server: 'https://kubernetes.default.svc', namespace: '*' }],
      { server: 'https://kubernetes.default.svc', namespace: 'kube-system' }, true],
    ['wildcard server', [{ server: 'https://*.default.svc', namespace: 'default' }],
      { server: 'https://kubernetes.default.svc', namespace: 'default' }, true],
    ['wildcard server and namespace', [{ server: 'https://team1-*', namespace: 'default' }],
      { server: 'https://test2-dev-cluster', namespace: 'default' }, false],
    ['wildcard namespace with prefix', [{ server: 'https://kubernetes.default.svc', namespace: 'test-*' }],
      { server: 'https://kubernetes.default.svc', namespace: 'test-foo' }, true],
    ['wildcard namespace without prefix', [{ server: 'https://kubernetes.default.svc', namespace: 'test-*' }],
      { server: 'https://kubernetes.default.svc', namespace: 'test' }, false],
    ['wildcard server and namespace', [{ server: '*', namespace: '*' }], { server: 'https://kubernetes.default.svc', namespace: 'test' }, true],
    ['wildcard server and namespace with name', [{ server: '', namespace: '*', name: 'test' }], { name: 'test', namespace: 'test' }, true],
    ['wildcard server and namespace with different name', [{ server: '', namespace: '*', name: 'test2' }], { name: 'test', namespace: 'test' }, false],
    ['negated namespace with multiple values', [
      { name: 'host-cluster', server: 'https://kubernetes.default.svc', namespace: '!{kube-system,argocd}' },
      { name: 'destination-cluster-01', server: 'https://eks-cluster-endpoint.ap-southeast-1.eks.amazonaws.com', namespace: '*' },
    ], { server: 'https://eks-cluster-endpoint.ap-southeast-1.eks.amazonaws.com', namespace: 'kube-system' }, true],
  ] as Array<[string, Destination[], Destination, boolean]>)('TestAppProject_IsDestinationPermitted %s', (_name, projDest, appDest, isPermitted) => {
    expect(permitted(projDest, appDest)).toBe(isPermitted);
  });

  const local = 'https://kubernetes.default.svc';
  test.each([
    [[{ server: `!${local}`, namespace: 'default' }], { server: local, namespace: 'default' }, false],
    [[{ server: local, namespace: '!default' }], { server: local, namespace: 'kube-system' }, true],
    [[{ server: '!https://my-cluster', namespace: 'default' }], { server: local, namespace: 'default' }, true],
    [[{ server: `!${local}`, namespace: '*' }], { server: local, namespace: 'kube-system' }, false],
    [[{ server: '!https://*.default.svc', namespace: 'default' }], { server: local, namespace: 'default' }, false],
    [[{ server: '!https://team1-*', namespace: 'default' }], { server: 'https://test2-dev-cluster', namespace: 'default' }, true],
    [[{ server: local, namespace: '!test-*' }], { server: local, namespace: 'test-foo' }, false],
    [[{ server: local, namespace: '!test-*' }], { server: local, namespace: 'test' }, true],
    [[{ server: '', namespace: '*', name: '!test' }], { name: 'test', namespace: 'test' }, false],
    [[{ server: '', namespace: '*', name: '!test2' }], { name: 'test', namespace: 'test' }, true],
    [[{ server: '*', namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }], { server: local, namespace: 'kube-system' }, false],
    [[{ server: '*', namespace: '*' }, { server: '*', namespace: '!kube-system' }], { server: local, namespace: 'kube-system' }, false],
    [[{ server: local, namespace: '*' }, { server: `!${local}`, namespace: '*' }], { server: local, namespace: 'kube-system' }, false],
    [[{ server: '*', namespace: '*' }, { server: `!${local}`, namespace: 'kube-system' }], { server: local, namespace: 'kube-system' }, false],
    [[{ server: '*', namespace: '*' }, { server: `!${local}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }],
      { server: local, namespace: 'kube-system' }, false],
    [[{ server: '*', namespace: '*' }, { server: `!${local}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }],
      { server: local, namespace: 'default' }, true],
    [[{ server: '*', namespace: '*' }, { server: `!${local}`, namespace: 'kube-system' }, { server: '*', namespace: '!kube-system' }],
      { server: 'https://test-dev-cluster', namespace: 'kube-system' }, false],
    [[{ server: '', namespace: '*', name: 'test' }, { server: '', namespace: '*', name: '!test' }], { name: 'test', namespace: 'test' }, false],
    [[{ server: '*', namespace: 'test' }, { server: '!https://test-server', namespace: 'other' }],
      { server: 'https://test-server', namespace: 'test' }, true],
    [[{ server: '*', namespace: '*' }, { server: 'https://test-server', namespace: '!other' }],
      { server: 'https://other-test-server', namespace: 'other' }, true],
  ] as Array<[Destination[], Destination, boolean]>)('TestAppProject_IsNegatedDestinationPermitted %j, %j', (projDest, appDest, isPermitted) => {
    expect(permitted(projDest, appDest)).toBe(isPermitted);
  });

  test('TestAppProject_IsGroupKindPermitted', () => {
    const proj: AppProjectSpec = { namespaceResourceWhitelist: [], namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deployment' }] };
    expect(isGroupKindPermitted(proj, 'apps', 'ReplicaSet', true)).toBe(false);
    expect(isGroupKindPermitted(proj, 'apps', 'Deployment', true)).toBe(false);

    const proj2: AppProjectSpec = {
      namespaceResourceWhitelist: [{ group: 'apps', kind: 'ReplicaSet' }],
      namespaceResourceBlacklist: [{ group: 'apps', kind: 'Deployment' }],
    };
    expect(isGroupKindPermitted(proj2, 'apps', 'ReplicaSet', true)).toBe(true);
    expect(isGroupKindPermitted(proj2, 'apps', 'Action', true)).toBe(false);

    const proj3: AppProjectSpec = { clusterResourceBlacklist: [{ group: '', kind: 'Namespace' }] };
    expect(isGroupKindPermitted(proj3, '', 'Namespace', false)).toBe(false);

    const proj4: AppProjectSpec = { clusterResourceWhitelist: [{ group: '*', kind: '*' }], clusterResourceBlacklist: [{ group: '*', kind: '*' }] };
    expect(isGroupKindPermitted(proj4, '', 'Namespace', false)).toBe(false);
    expect(isGroupKindPermitted(proj4, 'apps', 'Action', true)).toBe(true);

    const proj5: AppProjectSpec = { clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: '*', kind: '*' }] };
    expect(isGroupKindPermitted(proj5, '', 'Namespace', false)).toBe(false);
    expect(isGroupKindPermitted(proj5, 'apps', 'Action', true)).toBe(true);

    const proj6: AppProjectSpec = {};
    expect(isGroupKindPermitted(proj6, '', 'Namespace', false)).toBe(false);
    expect(isGroupKindPermitted(proj6, 'apps', 'Action', true)).toBe(true);
  });

  test.each([
    ['exact match', 'foo', 'foo', false, true],
    ['glob wildcard match', 'foo*', 'foobar', false, true],
    ['glob wildcard no match', 'foo*', 'bar', false, false],
    ['star matches everything', '*', 'anything', false, true],
    ['deny pattern with negation allowed - match', '!foo', 'foo', true, false],
    ['deny pattern with negation allowed - no match', '!foo', 'bar', true, true],
    ['deny pattern ignored when negation not allowed', '!foo', 'foo', false, false],
    ['deny pattern ignored when negation not allowed - no match', '!foo', '!foo', false, true],
  ])('TestGlobMatch %s', (_name, pattern, val, allowNegation, expected) => {
    expect(projectGlob(pattern, val, allowNegation)).toBe(expected);
  });
});

describe('util/glob/glob_test.go', () => {
  test.each([
    ['Exact match', 'hello', 'hello', true],
    ['Non-match exact', 'hello', 'hell', false],
    ['Long glob match', 'hello', 'hell*', true],
    ['Short glob match', 'hello', 'h*', true],
    ['Glob non-match', 'hello', 'e*', false],
    ['Invalid pattern', 'e[[a*', 'e[[a*', false],
  ])('Test_Match %s', (_name, input, pattern, result) => {
    expect(globMatch(pattern, input)).toBe(result);
  });
});

describe('util/git/git_test.go', () => {
  /** `SameURL`: both URLs normalized, non-empty and equal. */
  const sameURL = (left: string, right: string) => {
    const [l, r] = [normalizeGitUrl(left), normalizeGitUrl(right)];
    return l !== '' && r !== '' && l === r;
  };

  test.each([
    ['git@GITHUB.com:argoproj/test', 'git@github.com:argoproj/test.git'],
    ['git@GITHUB.com:argoproj/test.git', 'git@github.com:argoproj/test.git'],
    ['git@GITHUB.com:test', 'git@github.com:test.git'],
    ['git@GITHUB.com:test.git', 'git@github.com:test.git'],
    ['https://GITHUB.com/argoproj/test', 'https://github.com/argoproj/test.git'],
    ['https://GITHUB.com/argoproj/test.git', 'https://github.com/argoproj/test.git'],
    ['https://github.com/FOO', 'https://github.com/foo'],
    ['https://github.com/TEST', 'https://github.com/TEST.git'],
    ['https://github.com/TEST.git', 'https://github.com/TEST.git'],
    ['https://github.com:4443/TEST', 'https://github.com:4443/TEST.git'],
    ['https://github.com:4443/TEST.git', 'https://github.com:4443/TEST'],
    ['ssh://git@GITHUB.com/argoproj/test', 'git@github.com:argoproj/test.git'],
    ['ssh://git@GITHUB.com/argoproj/test.git', 'git@github.com:argoproj/test.git'],
    ['ssh://git@GITHUB.com/test.git', 'git@github.com:test.git'],
    ['ssh://git@github.com/test', 'git@github.com:test.git'],
    [' https://github.com/argoproj/test ', 'https://github.com/argoproj/test.git'],
    ['\thttps://github.com/argoproj/test\n', 'https://github.com/argoproj/test.git'],
    ['https://1234.visualstudio.com/myproj/_git/myrepo', 'https://1234.visualstudio.com/myproj/_git/myrepo'],
    ['https://dev.azure.com/1234/myproj/_git/myrepo', 'https://dev.azure.com/1234/myproj/_git/myrepo'],
  ])('TestSameURL %j %j', (left, right) => {
    expect(sameURL(left, right)).toBe(true);
  });
});
