/**
 * Ports of argoproj/argo-cd v3.5.1 ApplicationSet tests, run against ./argocd-applicationset.ts (goTemplate mode, the
 * only one the port covers):
 *
 * - `applicationset/utils/utils_test.go`:
 *   - TestRenderTemplateParamsGoTemplate: the cases of ./go-template.argocd-cases.ts (the ones left out are listed
 *     there), each over upstream's eight Application fields (`fieldMap`), through `renderTemplateParams`, with upstream's
 *     full error messages;
 *   - TestRenderHelmValuesObjectJson (the values object is JSON in the port's Application, as the API stores it);
 *   - TestRenderTemplateKeys "gotemplate"; TestRenderTemplateParamsFinalizers (every case);
 *   - TestRenderGeneratorParams_ValuesInterpolation: the five GoTemplate cases that need no Sprig function.
 *   Left out: TestRenderTemplateParams, TestRenderTemplateKeys "fasttemplate", Test_Render_Replace_no_panic_on_missing_closing_brace
 *   and the "No GoTemplate" cases (fasttemplate mode); TestRenderHelmValuesObjectYaml (a YAML `RawExtension`: the
 *   port's template is JSON); "GoTemplate: sprig must* function error in Values surfaces an error" (`mustFromJson`);
 *   TestRenderGeneratorParams_does_not_panic (plugin generator); TestCheckInvalidGenerators, TestInvalidGenerators,
 *   TestNormalizeBitbucketBasePath, TestSlugify, TestGetTLSConfig, Test_getFilteredGeneratorTypes (not ported code).
 * - `applicationset/generators/list_test.go` TestGenerateListParamsGoTemplate (both cases; upstream names none, so they
 *   are numbered). Left out: TestGenerateListParams (fasttemplate mode).
 * - `applicationset/generators/cluster_test.go` TestGenerateParamsGoTemplate: "secret type label selector",
 *   "production-only", "production or staging", "production or staging with match labels"; TestSanitizeClusterName.
 *   A cluster Secret is an `ArgoCluster` (its labels less the secret-type label, which the port adds). Left out: "no label
 *   selector" (its values use Sprig's `empty`), "simulate client error" (no client), the two flat-list cases
 *   (`flatList` is not ported); TestGenerateParams (fasttemplate mode).
 * - `applicationset/generators/matrix_test.go`: TestMatrixGenerateGoTemplate (every case),
 *   TestInterpolatedMatrixGenerateGoTemplate, TestInterpolatedMatrixGenerateGoTemplate_ClusterValuesFromFirstGenerator.
 *   Upstream mocks the Git generator to return fixed parameters; the port has no Git generator, so where the mock must
 *   generate, it is replaced by a list generator whose elements are the mock's parameters (where the case fails before
 *   generating, upstream's Git spec is kept). Left out: TestMatrixGenerate, TestInterpolatedMatrixGenerate
 *   (fasttemplate mode), TestMatrixGetRequeueAfter (requeue), TestMatrixGenerateListElementsYaml (`elementsYaml`), the
 *   TestGitGenerator_* matrix tests (a real Git generator).
 */
import { generatorParams, renderGeneratorParams, renderTemplateParams, sanitizeName, type ArgoCdState, type ArgoCluster } from './argocd-applicationset';
import { RENDER_TEMPLATE_PARAMS_GO_TEMPLATE } from './go-template.argocd-cases';
import type { KubeObject } from '../../src/kube/types';

type Json = Record<string, unknown>;

/** An ApplicationSet with `goTemplate: true` and the given options, for the generators to read. */
function appSet(goTemplateOptions?: string[]): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'set' },
    spec: { goTemplate: true, ...(goTemplateOptions ? { goTemplateOptions } : {}) },
  };
}

const state = (clusters: ArgoCluster[] = []): ArgoCdState => ({ clusters, projects: new Set() });

/** `assert.ElementsMatch`: the same elements, in any order. */
function expectElementsMatch(got: readonly unknown[], expected: readonly unknown[]): void {
  expect(got).toHaveLength(expected.length);
  expect(got).toEqual(expect.arrayContaining(expected as unknown[]));
}

describe('utils_test.go', () => {
  /** `fieldMap`: where each of the eight fields lives in the Application. */
  const fieldMap: Record<string, string[]> = {
    Path: ['spec', 'source', 'path'],
    RepoURL: ['spec', 'source', 'repoURL'],
    TargetRevision: ['spec', 'source', 'targetRevision'],
    Chart: ['spec', 'source', 'chart'],
    Server: ['spec', 'destination', 'server'],
    Namespace: ['spec', 'destination', 'namespace'],
    Name: ['spec', 'destination', 'name'],
    Project: ['spec', 'project'],
  };
  const emptyApplication = (): Json => ({
    metadata: {
      annotations: { 'annotation-key': 'annotation-value', 'annotation-key2': 'annotation-value2' },
      labels: { 'label-key': 'label-value', 'label-key2': 'label-value2' },
      creationTimestamp: '2025-01-01T00:00:00Z',
      uid: 'd546da12-06b7-4f9a-8ea2-3adb16a20e2b',
      name: 'application-one',
      namespace: 'default',
    },
    spec: {
      source: { path: '', repoURL: '', targetRevision: '', chart: '' },
      destination: { server: '', namespace: '', name: '' },
      project: '',
    },
  });
  const at = (object: Json, path: readonly string[]): unknown => path.reduce<unknown>((o, k) => (o as Json)[k], object);

  describe('TestRenderTemplateParamsGoTemplate', () => {
    test.each(RENDER_TEMPLATE_PARAMS_GO_TEMPLATE)('$name', ({ fieldVal, params, expectedVal, errorMessage, templateOptions }) => {
      for (const path of Object.values(fieldMap)) {
        // GIVEN the template application with the target field set to the test value
        const application = emptyApplication();
        const parent = at(application, path.slice(0, -1)) as Json;
        parent[path[path.length - 1]] = fieldVal;
        // WHEN it is rendered THEN the field is templated and the metadata kept
        const render = () => renderTemplateParams(application, undefined, params, templateOptions);
        if (errorMessage !== undefined) {
          expect(render).toThrow(new Error(errorMessage));
          continue;
        }
        const rendered = render();
        expect(at(rendered, path)).toBe(expectedVal);
        expect(rendered.metadata).toMatchObject({
          annotations: { 'annotation-key': 'annotation-value', 'annotation-key2': 'annotation-value2' },
          labels: { 'label-key': 'label-value', 'label-key2': 'label-value2' },
          name: 'application-one',
          namespace: 'default',
          uid: 'd546da12-06b7-4f9a-8ea2-3adb16a20e2b',
          creationTimestamp: '2025-01-01T00:00:00Z',
        });
      }
    });
  });

  test('TestRenderHelmValuesObjectJson', () => {
    const application = emptyApplication();
    (application.spec as Json).source = { path: '', repoURL: '', targetRevision: '', chart: '', helm: { valuesObject: { some: { string: '{{.test}}' } } } };
    const rendered = renderTemplateParams(application, undefined, { test: 'Hello world' }, []);
    expect(at(rendered, ['spec', 'source', 'helm', 'valuesObject', 'some', 'string'])).toBe('Hello world');
  });

  test('TestRenderTemplateKeys gotemplate', () => {
    const application = { metadata: { annotations: { 'annotation-{{ .key }}': 'annotation-{{ .value }}' } } };
    const rendered = renderTemplateParams(application, undefined, { key: 'some-key', value: 'some-value' }, undefined);
    expect((rendered.metadata as Json).annotations).toHaveProperty(['annotation-some-key'], 'annotation-some-value');
  });

  test.each([
    ['existing finalizer should be preserved', ['existing-finalizer'], undefined, ['existing-finalizer']],
    ['background finalizer should be preserved', ['resources-finalizer.argocd.argoproj.io/background'], undefined,
      ['resources-finalizer.argocd.argoproj.io/background']],
    ['empty finalizer and empty sync should use standard finalizer', undefined, undefined, ['resources-finalizer.argocd.argoproj.io']],
    ['standard finalizer should be preserved', ['resources-finalizer.argocd.argoproj.io'], undefined, ['resources-finalizer.argocd.argoproj.io']],
    ['empty array finalizers should use standard finalizer', [], undefined, ['resources-finalizer.argocd.argoproj.io']],
    ['non-nil sync policy should use standard finalizer', undefined, {}, ['resources-finalizer.argocd.argoproj.io']],
    ['preserveResourcesOnDeletion should not have a finalizer', undefined, { preserveResourcesOnDeletion: true }, []],
    ['user-specified finalizer should overwrite preserveResourcesOnDeletion', ['resources-finalizer.argocd.argoproj.io/background'],
      { preserveResourcesOnDeletion: true }, ['resources-finalizer.argocd.argoproj.io/background']],
  ] as Array<[string, string[] | undefined, { preserveResourcesOnDeletion?: boolean } | undefined, string[]]>)(
    'TestRenderTemplateParamsFinalizers %s', (_name, existingFinalizers, syncPolicy, expectedFinalizers) => {
      const application = {
        metadata: existingFinalizers === undefined ? {} : { finalizers: existingFinalizers },
        spec: { source: { path: '', repoURL: '', targetRevision: '', chart: '' }, destination: { server: '', namespace: '', name: '' }, project: '' },
      };
      const rendered = renderTemplateParams(application, syncPolicy, { one: 'two' }, undefined);
      expectElementsMatch(((rendered.metadata as Json).finalizers ?? []) as string[], expectedFinalizers);
    });

  const guestbook = { path: { basename: 'guestbook' } };
  test.each([
    ['GoTemplate: cross-generator key is resolved', guestbook, { clusters: { values: { env: '{{.path.basename}}' } } },
      ['missingkey=error'], { clusters: { env: 'guestbook' } }],
    ['GoTemplate: self-referential key is deferred (kept as template)', { some: 'value' },
      { git: { repoURL: 'https://git.example.com', values: { basename: '{{.path.basename}}' } } },
      ['missingkey=error'], { git: { basename: '{{.path.basename}}' } }],
    ['GoTemplate: mixed — cross-generator resolves, self-referential defers', guestbook,
      { clusters: { values: { env: '{{.path.basename}}', clusterName: '{{.name}}' } } },
      ['missingkey=error'], { clusters: { env: 'guestbook', clusterName: '{{.name}}' } }],
    ['GoTemplate: cross-generator resolves even without missingkey=error in user options', guestbook,
      { clusters: { values: { env: '{{.path.basename}}', clusterName: '{{.name}}' } } },
      [], { clusters: { env: 'guestbook', clusterName: '{{.name}}' } }],
    ['GoTemplate: literal values (no template) pass through unchanged', guestbook, { clusters: { values: { static: 'some-hardcoded-value' } } },
      [], { clusters: { static: 'some-hardcoded-value' } }],
    ['GoTemplate: malformed template syntax in Values surfaces an error', guestbook, { clusters: { values: { bad: '{{.path.basename' } } },
      ['missingkey=error'], 'failed to pre-resolve Values key "bad": failed to parse template'],
  ] as Array<[string, Json, Json, string[], Record<string, Json> | string]>)(
    'TestRenderGeneratorParams_ValuesInterpolation %s', (_name, params, gen, goTemplateOptions, expected) => {
      const render = () => renderGeneratorParams(gen, params, goTemplateOptions);
      if (typeof expected === 'string') {
        expect(render).toThrow(expected);
        return;
      }
      const result = render();
      for (const [kind, values] of Object.entries(expected)) {
        expect((result[kind] as Json).values).toEqual(values);
      }
    });
});

describe('list_test.go TestGenerateListParamsGoTemplate', () => {
  test.each([
    [0, [{ cluster: 'cluster', url: 'url' }], [{ cluster: 'cluster', url: 'url' }]],
    [1, [{ cluster: 'cluster', url: 'url', values: { foo: 'bar' } }], [{ cluster: 'cluster', url: 'url', values: { foo: 'bar' } }]],
  ])('case %i', (_n, elements, expected) => {
    expectElementsMatch(generatorParams({ list: { elements } }, appSet(), state()), expected);
  });
});

describe('cluster_test.go', () => {
  const clusters: ArgoCluster[] = [
    { name: 'staging-01', server: 'https://staging-01.example.com', labels: { environment: 'staging', org: 'foo' }, annotations: { 'foo.argoproj.io': 'staging' } },
    {
      name: 'production_01/west',
      server: 'https://production-01.example.com',
      labels: { environment: 'production', org: 'bar' },
      annotations: { 'foo.argoproj.io': 'production' },
    },
  ];
  const production = {
    name: 'production_01/west',
    nameNormalized: 'production-01-west',
    server: 'https://production-01.example.com',
    project: '',
    metadata: {
      labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'environment': 'production', 'org': 'bar' },
      annotations: { 'foo.argoproj.io': 'production' },
    },
  };
  const staging = {
    name: 'staging-01',
    nameNormalized: 'staging-01',
    server: 'https://staging-01.example.com',
    project: '',
    metadata: {
      labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'environment': 'staging', 'org': 'foo' },
      annotations: { 'foo.argoproj.io': 'staging' },
    },
  };
  const inProductionOrStaging = { key: 'environment', operator: 'In', values: ['production', 'staging'] };

  test.each([
    ['secret type label selector', { matchLabels: { 'argocd.argoproj.io/secret-type': 'cluster' } }, undefined, [production, staging]],
    ['production-only', { matchLabels: { environment: 'production' } }, { foo: 'bar' }, [{ ...production, values: { foo: 'bar' } }]],
    ['production or staging', { matchExpressions: [inProductionOrStaging] }, { foo: 'bar' },
      [{ ...production, values: { foo: 'bar' } }, { ...staging, values: { foo: 'bar' } }]],
    ['production or staging with match labels', { matchExpressions: [inProductionOrStaging], matchLabels: { org: 'foo' } }, { name: 'baz' },
      [{ ...staging, values: { name: 'baz' } }]],
  ] as Array<[string, Json, Record<string, string> | undefined, Json[]]>)('TestGenerateParamsGoTemplate %s', (_name, selector, values, expected) => {
    const got = generatorParams({ clusters: { selector, ...(values ? { values } : {}) } }, appSet(), state(clusters));
    expectElementsMatch(got, expected);
  });

  test('TestSanitizeClusterName valid DNS-1123 subdomain name', () => {
    expect(sanitizeName('cluster-name')).toBe('cluster-name');
  });

  test('TestSanitizeClusterName invalid DNS-1123 subdomain name', () => {
    expect(sanitizeName('-.--CLUSTER/name  -./.-')).toBe('cluster-name');
  });
});

describe('matrix_test.go', () => {
  const gitGenerator = { repoURL: 'RepoURL', revision: 'Revision', directories: [{ path: '*' }] };
  const listGenerator = { elements: [{ cluster: 'Cluster', url: 'Url' }] };
  const pathParams = (...paths: string[]) => paths.map((p) => ({ path: { path: p, basename: p, basenameNormalized: p } }));
  /** The mocked Git generator: a list generator yielding the mock's parameters. */
  const mockedGit = (elements: Json[]) => ({ list: { elements } });

  test.each([
    ['happy flow - generate params', [mockedGit(pathParams('app1', 'app2')), { list: listGenerator }], undefined, [
      { ...pathParams('app1')[0], cluster: 'Cluster', url: 'Url' },
      { ...pathParams('app2')[0], cluster: 'Cluster', url: 'Url' },
    ]],
    ['happy flow - generate params from two lists', [
      { list: { elements: [{ a: '1' }, { a: '2' }] } },
      { list: { elements: [{ b: '1' }, { b: '2' }] } },
    ], undefined, [{ a: '1', b: '1' }, { a: '1', b: '2' }, { a: '2', b: '1' }, { a: '2', b: '2' }]],
    ['parameter override: first list elements take precedence', [
      { list: { elements: [{ booleanFalse: false, booleanTrue: true, stringFalse: 'false', stringTrue: 'true' }] } },
      { list: { elements: [{ booleanFalse: true, booleanTrue: false, stringFalse: 'true', stringTrue: 'false' }] } },
    ], undefined, [{ booleanFalse: false, booleanTrue: true, stringFalse: 'false', stringTrue: 'true' }]],
    ['returns error if there is less than two base generators', [{ git: gitGenerator }],
      'found less than two generators, Matrix support only two', undefined],
    ['returns error if there is more than two base generators', [{ list: listGenerator }, { list: listGenerator }, { list: listGenerator }],
      'found more than two generators, Matrix support only two', undefined],
    ['returns error if there is more than one inner generator in the first base generator',
      [{ git: gitGenerator, list: listGenerator }, { git: gitGenerator }], 'found more than one generator in matrix.Generators', undefined],
    ['returns error if there is more than one inner generator in the second base generator',
      [{ list: listGenerator }, { git: gitGenerator, list: listGenerator }], 'found more than one generator in matrix.Generators', undefined],
  ] as Array<[string, Json[], string | undefined, Json[] | undefined]>)('TestMatrixGenerateGoTemplate %s', (_name, generators, expectedErr, expected) => {
    const generate = () => generatorParams({ matrix: { generators, template: {} } }, appSet(), state());
    if (expectedErr !== undefined) {
      expect(generate).toThrow(expectedErr);
    } else {
      expect(generate()).toEqual(expected);
    }
  });

  const secretCluster = (name: string, environment: string): ArgoCluster => ({ name, server: `https://${name}.example.com`, labels: { environment } });

  test('TestInterpolatedMatrixGenerateGoTemplate happy flow - generate interpolated params', () => {
    const paths = ['examples/git-generator-files-discovery/cluster-config/dev/config.json', 'examples/git-generator-files-discovery/cluster-config/prod/config.json'];
    const gitParams = paths.map((p) => ({ path: { path: p, basename: p.split('/')[3], basenameNormalized: p.split('/')[3] } }));
    const clusterGenerator = { selector: { matchLabels: { environment: '{{.path.basename}}' } } };
    const got = generatorParams({ matrix: { generators: [mockedGit(gitParams), { clusters: clusterGenerator }] } }, appSet(),
      state([secretCluster('dev-01', 'dev'), secretCluster('prod-01', 'prod')]));
    expect(got).toEqual(['dev', 'prod'].map((env, n) => ({
      ...gitParams[n],
      name: `${env}-01`,
      nameNormalized: `${env}-01`,
      server: `https://${env}-01.example.com`,
      project: '',
      metadata: { labels: { 'environment': env, 'argocd.argoproj.io/secret-type': 'cluster' } },
    })));
  });

  test('TestInterpolatedMatrixGenerateGoTemplate_ClusterValuesFromFirstGenerator', () => {
    const clusterGeneratorSpec = { selector: { matchLabels: { environment: '{{.path.basename}}' } }, values: { env: '{{.path.basename}}' } };
    const params = generatorParams({ matrix: { generators: [mockedGit(pathParams('guestbook')), { clusters: clusterGeneratorSpec }] } },
      appSet(['missingkey=error']), state([{ name: 'guestbook-cluster', server: 'https://guestbook.example.com', labels: { environment: 'guestbook' } }]));
    expect(params).toHaveLength(1);
    expect(params[0].path).toEqual({ path: 'guestbook', basename: 'guestbook', basenameNormalized: 'guestbook' });
    expect(params[0].values).toEqual({ env: 'guestbook' });
    expect(params[0].name).toBe('guestbook-cluster');
    expect(params[0].server).toBe('https://guestbook.example.com');
  });
});
