/**
 * What Argo CD's ApplicationSet controller makes of an ApplicationSet: ports of argoproj/argo-cd v3.5.1
 * - `applicationset/controllers/template/template.go` `GenerateApplications` (generators, then the template; a
 *   `templatePatch` is refused here, since the library no longer emits one);
 * - `applicationset/generators/list.go`, `cluster.go` and `matrix.go` `GenerateParams` (goTemplate mode: list
 *   elements are the parameters; the cluster generator selects Argo CD cluster Secrets by label and gives `name`,
 *   `nameNormalized`, `server`, `project`, `metadata`; the matrix renders its second generator with each parameter set
 *   of the first and merges the two, the first winning);
 * - `applicationset/utils/utils.go` `RenderTemplateParams` / `deeplyReplace` (every string of the template, and every
 *   map key, rendered as a Go template with the ApplicationSet's options; the resources finalizer added unless the
 *   template sets finalizers or `preserveResourcesOnDeletion` is on);
 * - `applicationset/controllers/applicationset_controller.go` `validateGeneratedApplications` (duplicate names, the
 *   project must exist, the destination must be a known cluster: `util/argo/argo.go` `GetDestinationServer`), and that
 *   one generation error stops every create, update and delete of the ApplicationSet while per-Application
 *   validation errors only skip those Applications.
 */
import { renderGoTemplate } from './go-template';
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
}

/** The outcome of one reconcile. */
export interface GenerationResult {
  /** The Applications the controller creates or updates (valid ones only). */
  readonly applications: readonly KubeObject[];
  /** A generation error: nothing at all is created, updated or deleted. */
  readonly error?: string;
  /** Applications skipped, by name, and why (the ApplicationSet then reports ErrorOccurred). */
  readonly invalid: ReadonlyMap<string, string>;
}

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

/** Renders every string and map key of `value` (deeplyReplace); null map values are dropped, as upstream skips nil ones. */
export function deepRender(value: unknown, params: Json, missingKey: 'default' | 'error'): unknown {
  if (typeof value === 'string') {
    return renderGoTemplate(value, params, { missingKey });
  }
  if (Array.isArray(value)) {
    return value.map((v) => deepRender(v, params, missingKey));
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)
      .map(([k, v]) => [renderGoTemplate(k, params, { missingKey }), deepRender(v, params, missingKey)]));
  }
  return value;
}

/** mergo.Merge(dst, src, WithOverride) on parameter maps: src wins, maps merge key by key. */
function mergeParams(dst: Json, src: Json): Json {
  const out: Json = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    out[k] = isObject(out[k]) && isObject(v) ? mergeParams(out[k] as Json, v) : v;
  }
  return out;
}

function generatorParams(generator: Json, appSet: KubeObject, state: ArgoCdState, missingKey: 'default' | 'error'): Json[] {
  if (isObject(generator.list)) {
    if ((generator.list as Json).elementsYaml !== undefined) {
      throw new Error('the port does not read elementsYaml');
    }
    return ((generator.list as Json).elements ?? []) as Json[];
  }
  if (isObject(generator.clusters)) {
    const spec = generator.clusters as Json;
    const selector = (spec.selector ?? {}) as Json;
    const selected = state.clusters.filter((c) => matchesSelector({ ...c.labels, 'argocd.argoproj.io/secret-type': 'cluster' }, selector));
    const params = selected.map((c): Json => ({
      name: c.name,
      nameNormalized: sanitizeName(c.name),
      server: c.server,
      project: '',
      metadata: {
        ...(c.labels && Object.keys(c.labels).length > 0 ? { labels: c.labels } : {}),
        ...(c.annotations ? { annotations: c.annotations } : {}),
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
        values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, renderGoTemplate(v, p, { missingKey })])),
      }));
  }
  if (isObject(generator.matrix)) {
    const [first, second] = (generator.matrix as Json).generators as Json[];
    return generatorParams(first, appSet, state, missingKey).flatMap((a) => {
      // The second generator is rendered with each parameter set of the first (`interpolateGenerator`).
      const rendered = deepRender(second, a, 'error') as Json;
      return generatorParams(rendered, appSet, state, missingKey).map((b) => mergeParams(b, a));
    });
  }
  throw new Error(`the port does not cover generator ${Object.keys(generator).join(', ')}`);
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
  const missingKey = options.includes('missingkey=error') ? 'error' : 'default';
  const syncPolicy = (spec.syncPolicy ?? {}) as { preserveResourcesOnDeletion?: boolean };
  const applications: KubeObject[] = [];
  try {
    for (const generator of (spec.generators ?? []) as Json[]) {
      for (const params of generatorParams(generator, appSet, state, missingKey)) {
        const template = spec.template as Json;
        const app = deepRender({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...template }, params, missingKey) as KubeObject;
        const metadata = app.metadata as Json;
        if (!syncPolicy.preserveResourcesOnDeletion && ((metadata.finalizers ?? []) as unknown[]).length === 0) {
          metadata.finalizers = ['resources-finalizer.argocd.argoproj.io'];
        }
        metadata.namespace = appSet.metadata.namespace;
        applications.push(app);
      }
    }
  } catch (e) {
    return { applications: [], error: (e as Error).message, invalid: new Map() };
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
  return { applications: applications.filter((a) => !invalid.has(a.metadata.name)), invalid };
}
