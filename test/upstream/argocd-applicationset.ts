/**
 * What Argo CD's ApplicationSet controller makes of an ApplicationSet: ports of argoproj/argo-cd v3.5.1
 * - `applicationset/controllers/template/template.go` `GenerateApplications` (generators, then the template; a
 *   `templatePatch` is refused here, since the library no longer emits one);
 * - `applicationset/generators/list.go`, `cluster.go` and `matrix.go` `GenerateParams` (goTemplate mode: list
 *   elements are the parameters; the cluster generator selects Argo CD cluster Secrets by label and gives `name`,
 *   `nameNormalized`, `server`, `project`, `metadata`; the matrix renders its second generator with each parameter set
 *   of the first and merges the two, the first winning);
 * - `applicationset/utils/utils.go` `RenderTemplateParams` / `deeplyReplace` / `Replace` (every string of the template,
 *   and every map key, rendered as a Go template with the ApplicationSet's options; no parameters leave the template as
 *   it is; the resources finalizer added unless the template sets finalizers or `preserveResourcesOnDeletion` is on)
 *   and `RenderGeneratorParams` (the matrix's second generator rendered with the first's parameters, its `values`
 *   pre-resolved with `missingkey=error` and kept as written where a key is missing);
 * - `applicationset/controllers/applicationset_controller.go` `validateGeneratedApplications` (duplicate names, the
 *   project must exist, the destination must be a known cluster: `util/argo/argo.go` `GetDestinationServer`), and that
 *   one generation error stops every create, update and delete of the ApplicationSet while per-Application
 *   validation errors only skip those Applications, and either makes the controller reconcile it again in 3 minutes.
 */
import { parseGoTemplate, renderGoTemplate, type GoTemplateOptions } from './go-template';
import type { KubeObject } from '../../src/kube/types';

type Json = Record<string, unknown>;

/** An Argo CD cluster Secret, as the cluster generator and destination lookups see it. */
export interface ArgoCluster {
  readonly name: string;
  readonly server: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Argo CD's own name for the cluster it runs in (`KubernetesInClusterName`, `KubernetesInternalAPIServerAddr`). */
export const IN_CLUSTER: ArgoCluster = { name: 'in-cluster', server: 'https://kubernetes.default.svc' };

/** What the controller reads besides the ApplicationSet: the registered clusters and the existing AppProjects. */
export interface ArgoCdState {
  /** Cluster Secrets (the in-cluster cluster is known without one). */
  readonly clusters: readonly ArgoCluster[];
  readonly projects: ReadonlySet<string>;
  /** Counts of the work the generators do, added to when given (the management cluster's share, issue 26). */
  readonly work?: GeneratorWork;
}

/**
 * The work of generating parameters, counted as upstream does it: each `GenerateParams` call of a list, cluster or
 * matrix generator; and for each cluster generator call, the cluster Secrets it lists and matches against its selector.
 * `cluster.go` `getSecretsByClusterName` lists through controller-runtime's cache with a label selector, and that cache
 * has no label index: every call reads every Secret of the namespace.
 */
export interface GeneratorWork {
  generatorCalls: number;
  clusterGeneratorCalls: number;
  secretsMatched: number;
  /** Applications rendered from the template, one per parameter set. */
  applicationsRendered: number;
  /**
   * Applications validated (`validateGeneratedApplications`): each an AppProject read and a destination looked up,
   * both from indexed caches (`util/settings/cluster_informer.go` indexes cluster Secrets by name and by server).
   */
  applicationsValidated: number;
}

/** A fresh count. */
export function newGeneratorWork(): GeneratorWork {
  return { generatorCalls: 0, clusterGeneratorCalls: 0, secretsMatched: 0, applicationsRendered: 0, applicationsValidated: 0 };
}

/** The outcome of one reconcile. */
export interface GenerationResult {
  /** The Applications the controller creates or updates (valid ones only). */
  readonly applications: readonly KubeObject[];
  /** A generation error: nothing at all is created, updated or deleted. */
  readonly error?: string;
  /** Applications skipped, by name, and why (the ApplicationSet then reports ErrorOccurred). */
  readonly invalid: ReadonlyMap<string, string>;
  /**
   * When the controller reconciles the ApplicationSet again without an event, in seconds (0: never): after a generation
   * or validation error, `ReconcileRequeueOnValidationError` (3 minutes); otherwise the generators' shortest
   * `GetRequeueAfter`, and the list, cluster and matrix generators return `NoRequeueAfter` (the cluster generator relies
   * on the cluster Secret events instead).
   */
  readonly requeueAfterSeconds: number;
}

/** `ReconcileRequeueOnValidationError` of `applicationset_controller.go`. */
export const REQUEUE_ON_VALIDATION_ERROR_SECONDS = 180;

const isObject = (x: unknown): x is Json => x !== null && typeof x === 'object' && !Array.isArray(x);

/** `SanitizeName` of `applicationset/utils/template_functions.go`: what `nameNormalized` is. */
export function sanitizeName(name: string): string {
  return name.toLowerCase().replace(/[^-a-z0-9.]/g, '-').slice(0, 253).replace(/^[-.]+|[-.]+$/g, '');
}

/** `metav1.LabelSelector` matching, with the operators a cluster selector takes. */
export function matchesSelector(labels: Readonly<Record<string, string>>, selector: Json | undefined): boolean {
  const matchLabels = (selector?.matchLabels ?? {}) as Record<string, string>;
  const expressions = (selector?.matchExpressions ?? []) as Array<{ key: string; operator: string; values?: string[] }>;
  return Object.entries(matchLabels).every(([k, v]) => labels[k] === v) && expressions.every((e) => {
    switch (e.operator) {
      case 'In':
        return e.key in labels && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn':
        return !(e.key in labels) || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists':
        return e.key in labels;
      case 'DoesNotExist':
        return !(e.key in labels);
      default:
        throw new Error(`"${e.operator}" is not a valid label selector operator`);
    }
  });
}

type MissingKey = NonNullable<GoTemplateOptions['missingKey']>;

/** The `missingkey` option of `goTemplateOptions` (`Template.Option`: the last one wins). */
export function missingKeyOption(goTemplateOptions: readonly string[] = []): MissingKey {
  const last = [...goTemplateOptions].reverse().find((o) => o.startsWith('missingkey='));
  const value = last?.slice('missingkey='.length);
  return value === 'error' || value === 'zero' ? value : 'default';
}

/** `Render.Replace` with `useGoTemplate`: one string rendered, with its errors wrapped as upstream wraps them. */
export function replaceTemplate(template: string, params: Json, missingKey: MissingKey): string {
  try {
    parseGoTemplate(template);
  } catch (e) {
    throw new Error(`failed to parse template ${template}: ${(e as Error).message}`);
  }
  try {
    return renderGoTemplate(template, params, { missingKey });
  } catch (e) {
    throw new Error(`failed to execute go template ${template}: ${(e as Error).message}`);
  }
}

/** Renders every string and map key of `value` (deeplyReplace); null map values are dropped, as upstream skips nil ones. */
export function deepRender(value: unknown, params: Json, missingKey: MissingKey): unknown {
  if (typeof value === 'string') {
    return replaceTemplate(value, params, missingKey);
  }
  if (Array.isArray(value)) {
    return value.map((v) => deepRender(v, params, missingKey));
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)
      .map(([k, v]) => [replaceTemplate(k, params, missingKey), deepRender(v, params, missingKey)]));
  }
  return value;
}

/**
 * `RenderTemplateParams` with `useGoTemplate`: the Application `template` rendered with `params`. Without parameters the
 * template is returned as it is (upstream returns early, before the finalizer is considered).
 */
export function renderTemplateParams(template: Json, syncPolicy: { preserveResourcesOnDeletion?: boolean } | undefined, params: Json,
  goTemplateOptions: readonly string[] = []): Json {
  if (Object.keys(params).length === 0) {
    return template;
  }
  const app = deepRender(template, params, missingKeyOption(goTemplateOptions)) as Json;
  const metadata = (app.metadata ?? {}) as Json;
  if (!syncPolicy?.preserveResourcesOnDeletion && ((metadata.finalizers ?? []) as unknown[]).length === 0) {
    app.metadata = { ...metadata, finalizers: ['resources-finalizer.argocd.argoproj.io'] };
  }
  return app;
}

/** The generator kinds whose `values` (`map[string]string`) `RenderGeneratorParams` pre-resolves. */
const GENERATORS_WITH_VALUES = ['clusters', 'clusterDecisionResource', 'git', 'plugin', 'pullRequest', 'scmProvider'];

/**
 * `RenderGeneratorParams` with `useGoTemplate`: `generator` rendered with `params` (a matrix renders its second
 * generator with each parameter set of its first). `values` are rendered with `missingkey=error` whatever the
 * ApplicationSet's options, and a value whose key is missing stays as written, for its own generator to render.
 */
export function renderGeneratorParams(generator: Json, params: Json, goTemplateOptions: readonly string[] = []): Json {
  if (Object.keys(params).length === 0) {
    return generator;
  }
  const missingKey = missingKeyOption(goTemplateOptions);
  try {
    return Object.fromEntries(Object.entries(generator).filter(([, v]) => v !== null).map(([kind, spec]) => {
      if (!GENERATORS_WITH_VALUES.includes(kind) || !isObject(spec) || !isObject(spec.values)) {
        return [kind, deepRender(spec, params, missingKey)];
      }
      const { values, ...rest } = spec;
      const resolved = Object.fromEntries(Object.entries(values as Record<string, string>).map(([k, v]) => {
        try {
          return [k, replaceTemplate(v, params, 'error')];
        } catch (e) {
          const message = (e as Error).message;
          if (message.includes('map has no entry for key') || message.includes("can't evaluate field")) {
            return [k, v];
          }
          throw new Error(`failed to pre-resolve Values key "${k}": ${message}`);
        }
      }));
      return [kind, { ...(deepRender(rest, params, missingKey) as Json), values: resolved }];
    }));
  } catch (e) {
    throw new Error(`failed to replace parameters in generator: ${(e as Error).message}`);
  }
}

/** mergo.Merge(dst, src, WithOverride) on parameter maps: src wins, maps merge key by key. */
function mergeParams(dst: Json, src: Json): Json {
  const out: Json = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    out[k] = isObject(out[k]) && isObject(v) ? mergeParams(out[k] as Json, v) : v;
  }
  return out;
}

/** The generator kinds of an `ApplicationSetGenerator` (every field but `selector`). */
const kindsOf = (generator: Json) => Object.keys(generator).filter((k) => k !== 'selector' && generator[k] !== null && generator[k] !== undefined);

/** A matrix child's parameters (`MatrixGenerator.getParams` through `Transform`), interpolated with `params` if any. */
function matrixChildParams(child: Json, appSet: KubeObject, state: ArgoCdState, params: Json): Json[] {
  const kinds = kindsOf(child);
  if (kinds.length === 0) {
    throw new Error('child generator generated no parameters');
  }
  if (kinds.length > 1) {
    throw new Error('found more than one generator in matrix.Generators');
  }
  try {
    const interpolated = renderGeneratorParams(child, params, (appSet.spec as Json).goTemplateOptions as string[] | undefined);
    return generatorParams(interpolated, appSet, state);
  } catch (e) {
    throw new Error(`child generator returned an error on parameter generation: ${(e as Error).message}`);
  }
}

/** `Generator.GenerateParams` of the list, cluster and matrix generators (goTemplate mode). */
export function generatorParams(generator: Json, appSet: KubeObject, state: ArgoCdState): Json[] {
  if (state.work !== undefined) {
    state.work.generatorCalls++;
  }
  const missingKey = missingKeyOption((appSet.spec as Json | undefined)?.goTemplateOptions as string[] | undefined);
  if (isObject(generator.list)) {
    if ((generator.list as Json).elementsYaml !== undefined) {
      throw new Error('the port does not read elementsYaml');
    }
    return ((generator.list as Json).elements ?? []) as Json[];
  }
  if (isObject(generator.clusters)) {
    const spec = generator.clusters as Json;
    const selector = (spec.selector ?? {}) as Json;
    if (state.work !== undefined) {
      state.work.clusterGeneratorCalls++;
      state.work.secretsMatched += state.clusters.length;
    }
    const selected = state.clusters.filter((c) => matchesSelector({ ...c.labels, 'argocd.argoproj.io/secret-type': 'cluster' }, selector));
    const params = selected.map((c): Json => ({
      name: c.name,
      nameNormalized: sanitizeName(c.name),
      server: c.server,
      project: '',
      // The labels of the cluster Secret, which carries the secret-type label the generator selects it by.
      metadata: {
        labels: { ...c.labels, 'argocd.argoproj.io/secret-type': 'cluster' },
        ...(c.annotations && Object.keys(c.annotations).length > 0 ? { annotations: c.annotations } : {}),
      },
    }));
    const ignoreLocal = Object.keys((selector.matchLabels ?? {}) as Json).length > 0 || ((selector.matchExpressions ?? []) as unknown[]).length > 0;
    if (!ignoreLocal && !state.clusters.some((c) => c.server === IN_CLUSTER.server)) {
      params.push({ name: IN_CLUSTER.name, nameNormalized: IN_CLUSTER.name, server: IN_CLUSTER.server, project: '' });
    }
    const values = spec.values as Record<string, string> | undefined;
    return values === undefined ? params
      : params.map((p) => ({
        ...p,
        values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, replaceTemplate(v, p, missingKey)])),
      }));
  }
  if (isObject(generator.matrix)) {
    const children = ((generator.matrix as Json).generators ?? []) as Json[];
    if (children.length < 2) {
      throw new Error('found less than two generators, Matrix support only two');
    }
    if (children.length > 2) {
      throw new Error('found more than two generators, Matrix support only two');
    }
    const wrap = (what: string, f: () => Json[]) => {
      try {
        return f();
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`);
      }
    };
    const firsts = wrap('error failed to get params for first generator in matrix generator', () => matrixChildParams(children[0], appSet, state, {}));
    return firsts.flatMap((a) => {
      // The second generator is rendered with each parameter set of the first (`InterpolateGenerator`).
      const seconds = wrap('failed to get params for second generator in the matrix generator', () => matrixChildParams(children[1], appSet, state, a));
      return seconds.map((b) => mergeParams(b, a));
    });
  }
  throw new Error(`the port does not cover generator ${Object.keys(generator).join(', ')}`);
}

/**
 * The work one reconcile of `appSet` costs the controller, counted as `generateApplications` counts it but without
 * rendering the template (one Application per parameter set): what the benchmark sums over a fleet of 50,000 clusters.
 */
export function reconcileWork(appSet: KubeObject, state: ArgoCdState): GeneratorWork {
  const work = newGeneratorWork();
  for (const generator of ((appSet.spec as Json).generators ?? []) as Json[]) {
    const generated = generatorParams(generator, appSet, { ...state, work }).length;
    work.applicationsRendered += generated;
    work.applicationsValidated += generated;
  }
  return work;
}

/** One reconcile of `appSet`: the Applications it creates or updates, or why it creates none. */
export function generateApplications(appSet: KubeObject, state: ArgoCdState): GenerationResult {
  const spec = appSet.spec as Json;
  if (spec.goTemplate !== true) {
    throw new Error('the port covers goTemplate ApplicationSets only');
  }
  if (spec.templatePatch !== undefined) {
    throw new Error('the port does not apply templatePatch');
  }
  const options = (spec.goTemplateOptions ?? []) as string[];
  const syncPolicy = spec.syncPolicy as { preserveResourcesOnDeletion?: boolean } | undefined;
  const applications: KubeObject[] = [];
  try {
    for (const generator of (spec.generators ?? []) as Json[]) {
      for (const params of generatorParams(generator, appSet, state)) {
        const template = spec.template as Json;
        const app = renderTemplateParams({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...template }, syncPolicy, params, options);
        applications.push({ ...app, metadata: { ...(app.metadata as KubeObject['metadata']), namespace: appSet.metadata.namespace } } as KubeObject);
      }
    }
  } catch (e) {
    return { applications: [], error: (e as Error).message, invalid: new Map(), requeueAfterSeconds: REQUEUE_ON_VALIDATION_ERROR_SECONDS };
  }
  if (state.work !== undefined) {
    state.work.applicationsRendered += applications.length;
    state.work.applicationsValidated += applications.length;
  }
  const invalid = new Map<string, string>();
  const names = new Set<string>();
  const known = [IN_CLUSTER, ...state.clusters];
  for (const app of applications) {
    const appSpec = app.spec as { project?: string; destination?: { name?: string; server?: string } };
    const destination = appSpec.destination ?? {};
    let problem: string | undefined;
    if (names.has(app.metadata.name)) {
      problem = `ApplicationSet ${appSet.metadata.name} contains applications with duplicate name: ${app.metadata.name}`;
    } else if (!state.projects.has(appSpec.project ?? '')) {
      problem = `application references project ${appSpec.project} which does not exist`;
    } else if (destination.name && destination.server) {
      problem = `application destination spec is invalid: application destination can't have both name and server defined: ${destination.name} ${destination.server}`;
    } else if (destination.name && !known.some((c) => c.name === destination.name)) {
      problem = `application destination spec is invalid: there are no clusters with this name: ${destination.name}`;
    } else if (destination.server && !known.some((c) => c.server === destination.server!.replace(/\/+$/, ''))) {
      problem = `application destination spec is invalid: error getting cluster by server "${destination.server}"`;
    }
    names.add(app.metadata.name);
    if (problem !== undefined) {
      invalid.set(app.metadata.name, problem);
    }
  }
  return {
    applications: applications.filter((a) => !invalid.has(a.metadata.name)),
    invalid,
    requeueAfterSeconds: invalid.size > 0 ? REQUEUE_ON_VALIDATION_ERROR_SECONDS : 0,
  };
}
