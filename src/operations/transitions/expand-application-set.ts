/**
 * The Applications an ApplicationSet of this library generates for one cluster, as Argo CD v3.5.1's ApplicationSet
 * controller renders them (`applicationset/controllers/template/template.go` `GenerateApplications`):
 * - generators (`applicationset/generators/list.go`, `matrix.go`, `cluster.go`), whose parameters add up: lists of
 *   elements, each alone or as the first of a matrix whose second is the cluster generator; the cluster generator is
 *   rendered with each element and selects the Argo CD cluster Secrets whose labels match, adding `name` (and
 *   `nameNormalized`) to the parameters;
 * - the template (`applicationset/utils/utils.go` `RenderTemplateParams`): every string and map key rendered as a Go
 *   template with the parameters, `null` values dropped, and the resources finalizer added unless the template lists
 *   finalizers or the ApplicationSet sets `preserveResourcesOnDeletion`.
 *
 * The library writes two kinds of template actions only, a parameter (`{{.cluster}}`) and the literal `{{"{{"}}`
 * (user text made literal), so that is what this renderer reads; any other action is refused, so a hand-changed
 * ApplicationSet is reported as not modelled rather than guessed at. `test/upstream` checks this against the full port
 * of the controller and of Go's `text/template` on the example and benchmark fleets.
 */
import { listedGenerators, type ListedGenerator } from '../../argocd/list-generator';
import { CASCADE_FINALIZER } from '../../argocd/sync';
import type { KubeObject } from '../../kube/types';

type Json = Record<string, unknown>;

/** An ApplicationSet uses a template action this renderer does not read. */
export class UnmodelledTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnmodelledTemplateError';
  }
}

type Generator = { list?: Json; matrix?: { generators?: Generator[] }; clusters?: Json };

/** One Application an ApplicationSet generates for a cluster. */
export interface ExpandedApplication {
  readonly name: string;
  readonly application: KubeObject;
  /**
   * The labels a cluster Secret must carry for the Application to be generated (the matrix's cluster generator), or
   * undefined when it is generated whatever Argo CD knows.
   */
  readonly selector?: Readonly<Record<string, string>>;
}

const isObject = (x: unknown): x is Json => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A cluster's list element, with the cluster generator that gates it (in a matrix), if any. */
interface Listed {
  readonly element: Json;
  readonly gate?: ListedGenerator['clusters'];
}

/** An ApplicationSet's list elements by cluster, indexed once per spec: a shard's ApplicationSet lists thousands. */
const ELEMENTS = new WeakMap<object, Map<unknown, Listed[]>>();
function elementsOf(spec: object, cluster: string): Listed[] {
  let index = ELEMENTS.get(spec);
  if (index === undefined) {
    index = new Map();
    for (const generator of listedGenerators(spec)) {
      for (const element of generator.elements) {
        (index.get(element.cluster) ?? index.set(element.cluster, []).get(element.cluster)!).push({ element, gate: generator.clusters });
      }
    }
    ELEMENTS.set(spec, index);
  }
  return index.get(cluster) ?? [];
}

/** One string of a template, rendered with `params`. */
export function renderTemplateString(template: string, params: Readonly<Record<string, unknown>>): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = template.indexOf('{{', at);
    if (open < 0) {
      return out + template.slice(at);
    }
    const close = template.indexOf('}}', open + 2);
    if (close < 0) {
      throw new UnmodelledTemplateError(`unclosed action in "${template}"`);
    }
    out += template.slice(at, open);
    const action = template.slice(open + 2, close);
    if (action === '"{{"') {
      out += '{{';
    } else if (/^\.[A-Za-z_][A-Za-z0-9_]*$/.test(action)) {
      const value = params[action.slice(1)];
      if (value === undefined) {
        // goTemplateOptions missingkey=error, as the library sets it.
        throw new UnmodelledTemplateError(`map has no entry for key "${action.slice(1)}"`);
      }
      out += String(value);
    } else {
      throw new UnmodelledTemplateError(`the action {{${action}}} is not one the library writes`);
    }
    at = close + 2;
  }
}

/** Every string and map key of `value` rendered (`deeplyReplace`); null map values dropped. */
function renderDeep(value: unknown, params: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') {
    return renderTemplateString(value, params);
  }
  if (Array.isArray(value)) {
    return value.map((v) => renderDeep(v, params));
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [renderTemplateString(k, params), renderDeep(v, params)]));
  }
  return value;
}

/** The Applications `appSet` generates for `cluster` (its list elements naming it), with what each needs to exist. */
export function expandForCluster(appSet: KubeObject, cluster: string): ExpandedApplication[] {
  const spec = appSet.spec as {
    goTemplate?: boolean;
    templatePatch?: unknown;
    generators?: Generator[];
    template?: Json;
    syncPolicy?: { preserveResourcesOnDeletion?: boolean };
  };
  if (spec.goTemplate !== true || spec.templatePatch !== undefined) {
    throw new UnmodelledTemplateError('only goTemplate ApplicationSets without a templatePatch are modelled');
  }
  const generators = spec.generators ?? [];
  const modelled = (g: Generator) => Object.keys(g).length === 1 && (g.list !== undefined
    || (g.matrix?.generators?.length === 2 && g.matrix.generators[0].list !== undefined && g.matrix.generators[1].clusters !== undefined));
  if (generators.length === 0 || !generators.every(modelled)) {
    throw new UnmodelledTemplateError('only list generators, and matrices of a list and the cluster generator, are modelled');
  }
  return elementsOf(spec, cluster).map(({ element, gate }) => {
    let params: Json = element;
    let selector: Record<string, string> | undefined;
    if (gate !== undefined) {
      selector = renderDeep(gate.selector?.matchLabels ?? {}, element) as Record<string, string>;
      // The cluster generator's parameters, under the element's (the matrix merges the first generator's over the second's).
      params = { name: cluster, nameNormalized: cluster, ...element };
    }
    const rendered = renderDeep(spec.template ?? {}, params) as Json;
    const metadata = (rendered.metadata ?? {}) as KubeObject['metadata'] & { finalizers?: string[] };
    const listed = (metadata.finalizers ?? []).length > 0;
    const finalizers = listed || spec.syncPolicy?.preserveResourcesOnDeletion ? metadata.finalizers : [CASCADE_FINALIZER];
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      ...rendered,
      metadata: { ...metadata, namespace: appSet.metadata.namespace, ...(finalizers === undefined ? {} : { finalizers }) },
    } as KubeObject;
    return { name: metadata.name, application, selector };
  });
}
