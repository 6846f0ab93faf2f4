/**
 * The rules the transition model acts by (`src/operations/transitions/`), checked against the test tables of the
 * upstream code they port, case for case, and against the fuller ports of this folder where one exists:
 * - gitops-engine `pkg/sync/resource/annotations_test.go` (`TestHasAnnotationOption`, `TestGetAnnotationOptionValue`);
 * - argo-cd `controller/appcontroller_test.go` (`Test_syncDeleteOption`), `pkg/apis/application/v1alpha1/types_test.go`
 *   (`TestUnSetCascadedDeletion`), `applicationset/controllers/applicationset_controller_test.go`
 *   (`TestRemoveFinalizerOnInvalidDestination_FinalizerTypes`, and the finalizer case of `TestCreateOrUpdateInCluster`),
 *   `reposerver/repository/repository_test.go` (`Test_getResolvedValueFiles`, `TestHelmWithMissingValueFiles`);
 * - `controller/sync.go` (the `PrunePropagationPolicy` switch) and `applicationset/utils/utils.go` (`RenderTemplateParams`);
 * - CAPA v2.11.1 `reconcileNodegroupConfig`, against this folder's port (`capa-eks-controller.ts`), and EKS's scaling rules.
 * All at argo-cd v3.5.1 and CAPA v2.11.1.
 */
import { generateApplications } from './argocd-applicationset';
import { registered } from './argocd-instance';
import { reconcileNodegroupScaling } from './capa-eks-controller';
import { buildBenchFleet } from '../../bench/bench-fleet';
import { buildExampleFleet } from '../../example/fleet';
import { listedClusters } from '../../src/argocd/list-generator';
import type { KubeObject } from '../../src/kube/types';
import { readDistFiles } from '../../src/operations/dist-fleet';
import {
  BACKGROUND_FINALIZER, FOREGROUND_FINALIZER, RESOURCES_FINALIZER, annotationOptions, cascadedDeletion, deletionPropagation, optionValue,
  prunePropagationPolicy, removeFinalizerOnInvalidDestination, resolveValueFiles, shouldBeDeleted, unsetCascadedDeletion, updatedFinalizers,
} from '../../src/operations/transitions/argocd-rules';
import { eksScalingProblem, nodegroupRequest } from '../../src/operations/transitions/capa-nodegroups';
import { expandForCluster } from '../../src/operations/transitions/expand-application-set';
import type { Manifest } from '../../src/operations/transitions/model';
import { parseFiles } from '../support/fleet-files';

describe('gitops-engine annotations.go', () => {
  test.each([
    ['Nil', undefined, [], false],
    ['Empty', '', [], false],
    ['Single', 'bar', ['bar'], true],
    ['DeDup', 'bar,bar', ['bar'], true],
    ['Double', 'bar,baz', ['bar', 'baz'], true],
    ['Spaces', 'bar ', ['bar'], true],
  ])('TestHasAnnotationOption %s', (_name, value, values, has) => {
    expect(annotationOptions(value)).toEqual(values);
    expect(annotationOptions(value).includes(_name === 'Double' ? 'baz' : 'bar')).toBe(has);
  });

  test.each([
    ['Nil', undefined, 'bar', undefined],
    ['Empty', '', 'bar', undefined],
    ['Standalone', 'bar', 'bar', undefined],
    ['Single', 'bar=baz', 'bar', 'baz'],
    ['DeDup', 'bar=baz1,bar=baz2', 'bar', 'baz1'],
    ['Double', 'bar=qux,baz=quux', 'baz', 'quux'],
    ['Spaces', 'bar=baz ', 'bar', 'baz'],
  ])('TestGetAnnotationOptionValue %s', (_name, value, key, want) => {
    expect(optionValue(annotationOptions(value), key)).toBe(want);
  });
});

describe('argo-cd controller/appcontroller.go shouldBeDeleted (Test_syncDeleteOption)', () => {
  test.each([
    ['without delete option object is deleted', {}, undefined, true],
    ['with delete set to false object is retained', { syncOptions: 'Delete=false' }, undefined, false],
    ['with helm resource-policy keep object is retained', { helmResourcePolicy: 'keep' }, undefined, false],
    ['delete set on the app level', {}, ['Delete=false'], false],
    ['delete should be overridden on the resource', { syncOptions: 'Delete=foo' }, ['Delete=false'], true],
    // and from the function itself: CRDs and the Application itself never go
    ['a CRD is never deleted', { isCrd: true }, undefined, false],
    ['the Application itself is never deleted', { selfReferenced: true }, undefined, false],
    ['Prune=false alone does not protect from deletion', { syncOptions: 'Prune=false' }, ['ServerSideApply=true'], true],
  ])('%s', (_name, object, appSyncOptions, deleted) => {
    expect(shouldBeDeleted(object, appSyncOptions)).toBe(deleted);
  });
});

describe('argo-cd pkg/apis/application/v1alpha1 finalizers', () => {
  test('TestUnSetCascadedDeletion', () => {
    expect(unsetCascadedDeletion(['alpha', FOREGROUND_FINALIZER, 'beta', BACKGROUND_FINALIZER, 'gamma'])).toEqual(['alpha', 'beta', 'gamma']);
  });

  test('CascadedDeletion and GetPropagationPolicy', () => {
    expect(cascadedDeletion([RESOURCES_FINALIZER])).toBe(true);
    expect(cascadedDeletion(['post-delete-finalizer.argocd.argoproj.io'])).toBe(false);
    expect(deletionPropagation([BACKGROUND_FINALIZER])).toBe('background');
    expect(deletionPropagation([RESOURCES_FINALIZER])).toBe('foreground');
    expect(deletionPropagation([FOREGROUND_FINALIZER])).toBe('foreground');
  });
});

describe('argo-cd applicationset_controller.go', () => {
  test.each([
    ['no finalizers', [], []],
    ['contains only argo finalizer', [RESOURCES_FINALIZER], []],
    ['contains only non-argo finalizer', ['non-argo-finalizer'], ['non-argo-finalizer']],
    ['contains both argo and non-argo finalizer', ['non-argo-finalizer', RESOURCES_FINALIZER], ['non-argo-finalizer']],
    // only the exact name: the background and foreground forms stay (finalizeApplicationDeletion then drops them)
    ['the background form stays', [BACKGROUND_FINALIZER], [BACKGROUND_FINALIZER]],
  ])('TestRemoveFinalizerOnInvalidDestination_FinalizerTypes: %s', (_name, existing, expected) => {
    expect(removeFinalizerOnInvalidDestination(existing, false)).toEqual(expected);
    expect(removeFinalizerOnInvalidDestination(existing, true)).toEqual(existing);
  });

  test('TestCreateOrUpdateInCluster: argocd pre-delete and post-delete finalizers are preserved from an existing app', () => {
    const existing = ['non-argo-finalizer', 'pre-delete-finalizer.argocd.argoproj.io', 'pre-delete-finalizer.argocd.argoproj.io/stage1',
      'post-delete-finalizer.argocd.argoproj.io', 'post-delete-finalizer.argocd.argoproj.io/stage2'];
    expect(updatedFinalizers(existing, [])).toEqual(existing.slice(1));
    // and the template's finalizers replace the rest: switching a bundle's removal policy reaches existing Applications
    expect(updatedFinalizers([RESOURCES_FINALIZER], [])).toEqual([]);
    expect(updatedFinalizers([], [RESOURCES_FINALIZER])).toEqual([RESOURCES_FINALIZER]);
  });
});

describe('argo-cd controller/sync.go PrunePropagationPolicy', () => {
  test.each([
    [[], 'foreground'],
    [['ServerSideApply=true'], 'foreground'],
    [['PrunePropagationPolicy=background'], 'background'],
    [['PrunePropagationPolicy=foreground'], 'foreground'],
    [['PrunePropagationPolicy=orphan'], 'orphan'],
  ])('%j prunes with %s', (options, policy) => {
    expect(prunePropagationPolicy(options)).toBe(policy);
  });
});

describe('argo-cd reposerver/repository/repository.go getResolvedValueFiles', () => {
  const refs = { $ref: 'https://github.com/org/repo1' };
  const main = 'main-repo';
  const everything = () => true;

  test.each([
    ['simple path', 'values.yaml', {}, { repo: main, path: 'values.yaml' }],
    ['simple ref', '$ref/values.yaml', refs, { repo: 'https://github.com/org/repo1', path: 'values.yaml' }],
    ['only ref', '$ref', refs, 'error'],
    ['attempted traversal', '$ref/../values.yaml', refs, 'error'],
    ['ref doesn\'t exist', '$ref/values.yaml', {}, { repo: main, path: 'values.yaml' }],
  ])('Test_getResolvedValueFiles: %s', (_name, raw, refSources, expected) => {
    const result = resolveValueFiles([raw], refSources, main, everything, false);
    if (expected === 'error') {
      expect(result.error).toMatch(/^error resolving value file path/);
      expect(result.files).toEqual([]);
    } else {
      expect(result).toEqual({ files: [expected], skipped: [] });
    }
  });

  test('TestHelmWithMissingValueFiles: a missing file fails the render, unless ignoreMissingValueFiles skips it', () => {
    const exists = (_repo: string, path: string) => path !== 'values-prod-overrides.yaml';
    const raw = ['values-production.yaml', 'values-prod-overrides.yaml'];
    expect(resolveValueFiles(raw, {}, main, exists, false).error).toBe('values-prod-overrides.yaml: no such file or directory');
    expect(resolveValueFiles(raw, {}, main, exists, true)).toEqual({ files: [{ repo: main, path: 'values-production.yaml' }], skipped: [{ repo: main, path: 'values-prod-overrides.yaml' }] });
  });

  test('appendUnique: a file named twice is given once, where it is first named', () => {
    const raw = ['$ref/base.yaml', '$ref/own.yaml', '$ref/base.yaml'];
    expect(resolveValueFiles(raw, refs, main, everything, false).files.map((f) => f.path)).toEqual(['base.yaml', 'own.yaml']);
  });
});

describe('CAPA v2.11.1 reconcileNodegroupConfig and EKS NodegroupScalingConfig', () => {
  const machinePool = (replicas: number | undefined, autoscaled: boolean): Manifest => ({
    key: 'MachinePool/a/a-general',
    role: 'machinepool',
    content: 'mp',
    ignoreExtraneous: true,
    pool: { nodegroup: 'a-general', ...(replicas === undefined ? {} : { replicas }), autoscaled, ...(autoscaled ? { annotatedMin: 1, annotatedMax: 5 } : {}) },
  });
  const managed = (minSize: number, maxSize: number): Manifest => ({
    key: 'AWSManagedMachinePool/a/a-general', role: 'managedmachinepool', content: 'mmp', ignoreExtraneous: true, pool: { nodegroup: 'a-general', minSize, maxSize },
  });
  const capi = (replicas: number | undefined, autoscaled: boolean) => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    metadata: { name: 'a-general', annotations: autoscaled ? { 'cluster.x-k8s.io/replicas-managed-by': 'external-autoscaler' } : {} },
    spec: { clusterName: 'a', ...(replicas === undefined ? {} : { replicas }), template: { spec: { clusterName: 'a', bootstrap: {}, infrastructureRef: { name: 'a-general' } } } },
  });
  const capa = (minSize: number, maxSize: number) => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', kind: 'AWSManagedMachinePool', metadata: { name: 'a-general' }, spec: { scaling: { minSize, maxSize } },
  });

  test.each([
    ['nothing differs', 3, false, [1, 5], { desired: 3, min: 1, max: 5 }],
    ['replicas move inside the bounds', 4, false, [1, 5], { desired: 3, min: 1, max: 5 }],
    ['bounds move around the replicas', 3, false, [2, 6], { desired: 3, min: 1, max: 5 }],
    ['autoscaled, bounds unchanged', undefined, true, [1, 5], { desired: 4, min: 1, max: 5 }],
    ['autoscaled, min raised past the current size', undefined, true, [3, 5], { desired: 2, min: 1, max: 5 }],
    ['autoscaled, max lowered under the current size', undefined, true, [1, 3], { desired: 5, min: 1, max: 5 }],
  ] as Array<[string, number | undefined, boolean, [number, number], { desired: number; min: number; max: number }]>)(
    '%s: the request equals the port of this folder, and EKS judges it',
    (_name, replicas, autoscaled, [minSize, maxSize], nodegroup) => {
      const model = nodegroupRequest(machinePool(replicas, autoscaled), managed(minSize, maxSize), nodegroup);
      const port = reconcileNodegroupScaling(capi(replicas, autoscaled) as never, capa(minSize, maxSize) as never,
        { desiredSize: nodegroup.desired, minSize: nodegroup.min, maxSize: nodegroup.max });
      const sent = model === undefined ? undefined : { desiredSize: model.desiredSize, minSize: model.minSize, maxSize: model.maxSize };
      expect(sent).toEqual(port.scalingConfig);
      const refused = model === undefined ? undefined : eksScalingProblem(model);
      expect(refused === undefined).toBe(model === undefined || (model.desiredSize >= minSize && model.desiredSize <= maxSize));
    },
  );

  test.each([
    [{ desiredSize: 2, minSize: 1, maxSize: 3 }, undefined],
    [{ desiredSize: 0, minSize: 0, maxSize: 1 }, undefined],
    [{ desiredSize: 1, minSize: 2, maxSize: 3 }, 'desiredSize 1 is below minSize 2'],
    [{ desiredSize: 4, minSize: 2, maxSize: 3 }, 'desiredSize 4 is above maxSize 3'],
    [{ desiredSize: 1, minSize: 1, maxSize: 0 }, 'maxSize 0 is below 1'],
    [{ desiredSize: 1, minSize: -1, maxSize: 2 }, 'minSize -1 is below 0'],
    [{ desiredSize: 2, minSize: 3, maxSize: 2 }, 'minSize 3 is above maxSize 2'],
  ])('EKS NodegroupScalingConfig %j: %s', (sizes, problem) => {
    expect(eksScalingProblem({ nodegroup: 'n', call: 'UpdateNodegroupConfig', ...sizes })).toBe(problem);
  });
});

describe('the model\'s ApplicationSet expansion agrees with the full port of the controller and of Go\'s text/template', () => {
  test.each([
    ['the example fleet', () => buildExampleFleet()],
    ['the benchmark fleet at 100 clusters', () => buildBenchFleet(100, '/nonexistent/dist')],
  ])('%s: every Application of every cluster, rendered the same', (_name, build) => {
    const files = build().renderFiles();
    const objects = [...parseFiles(files).values()];
    // Argo CD knows each cluster by the name `register` writes for it (`<fleet>--<cluster>` for a fleet cluster).
    const known = readDistFiles(files, 'dist').clusters;
    const appSets = objects.filter((o) => o.kind === 'ApplicationSet');
    const projects = new Set(objects.filter((o) => o.kind === 'AppProject').map((o) => o.metadata.name));
    let compared = 0;
    for (const appSet of appSets) {
      const clusters = listedClusters(appSet.spec);
      const upstream = generateApplications(appSet, {
        clusters: registered(appSet.metadata.labels!['arlon.io/fleet'], clusters.map((c) => known.find((k) => k.name === c)!)), projects,
      });
      expect(upstream.error).toBeUndefined();
      const byName = new Map(upstream.applications.map((a) => [a.metadata.name, a]));
      for (const cluster of clusters) {
        for (const expanded of expandForCluster(appSet, cluster)) {
          const port: KubeObject | undefined = byName.get(expanded.name);
          expect(port).toBeDefined();
          expect(expanded.application).toEqual(port);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(appSets.length);
  });
});
