import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { compareStrings } from '../_order';
import type { Bundle, FleetRepository } from '../bundle/bundle';
import { Annotations } from '../fleet/labels';
import * as l1 from '../l1';

/** One cluster that receives a bundle, with the Helm values computed for it. */
export interface BundleUse {
  readonly cluster: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** What the ApplicationSet needs to know about its fleet. */
export interface BundleFleetContext extends FleetRepository {
  readonly argocdNamespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Properties of a `BundleApplicationSet`. */
export interface BundleApplicationSetProps {
  readonly bundle: Bundle;
  readonly fleet: BundleFleetContext;
  /** The clusters that receive the bundle, read when the fleet is synthesized. */
  readonly uses: () => readonly BundleUse[];
  /** The profiles that carry the bundle, read when the fleet is synthesized. */
  readonly profiles: () => readonly string[];
}

/** The finalizer that makes Argo CD delete an Application's objects with it: removing a bundle removes its objects. */
export const CASCADE_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * The ApplicationSet of one bundle: a list generator with one element per cluster that carries it, producing exactly
 * one Application `<cluster>-<bundle>` per (cluster, bundle) pair, targeting the cluster by its Argo CD name. The
 * bundle's source (chart and version) appears once, so bumping a version changes one file, and the root Application
 * holds one object per bundle rather than one per pair.
 *
 * Per-cluster Helm values ride in the elements and are merged into `helm.valuesObject` by `templatePatch`, which
 * Argo CD applies as a merge patch: maps merge key by key, other values replace, as Helm merges values files. When no
 * cluster has values of its own, the elements carry only the cluster name and there is no patch.
 */
export class BundleApplicationSet extends Construct {
  /** The ApplicationSet (escape hatch). */
  public readonly resource: l1.ArgoApplicationSet;

  constructor(scope: Construct, id: string, props: BundleApplicationSetProps) {
    super(scope, id);
    const { bundle, fleet } = props;
    const source = bundle.source(fleet);
    const syncOptions = [...(bundle.createNamespace ? ['CreateNamespace=true'] : []), ...bundle.syncOptions]
      .filter((option, i, all) => all.indexOf(option) === i);
    const labels = { ...fleet.labels, 'arlon.io/bundle': bundle.name };
    // Values ride in the elements only when some cluster has any: `values: {}` on every element of a bundle shared
    // by 10,000 clusters costs 140 KiB of a 512 KiB object.
    const carriesValues = () => bundle.takesValues && props.uses().some((use) => Object.keys(use.values).length > 0);

    this.resource = new l1.ArgoApplicationSet(this, 'Resource', {
      metadata: {
        name: bundle.name,
        namespace: fleet.argocdNamespace,
        labels,
        // What `arlonctl list` reads back from dist/ alone.
        annotations: {
          [Annotations.BUNDLE_KIND]: bundle.kind,
          [Annotations.PROFILES]: lazyString(() => [...props.profiles()].sort().join(',')),
        },
      },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{
          list: {
            elements: Lazy.any({
              produce: () => {
                const withValues = carriesValues();
                return [...props.uses()]
                  .sort((a, b) => compareStrings(a.cluster, b.cluster))
                  .map((use) => (withValues ? { cluster: use.cluster, values: use.values } : { cluster: use.cluster }));
              },
            }),
          },
        }],
        template: {
          metadata: {
            name: `{{.cluster}}-${bundle.name}`,
            namespace: fleet.argocdNamespace,
            labels: { ...labels, 'arlon.io/cluster': '{{.cluster}}' },
            finalizers: [CASCADE_FINALIZER],
          },
          spec: {
            project: '{{.cluster}}-bundles',
            source,
            destination: { name: '{{.cluster}}', namespace: bundle.namespace },
            syncPolicy: {
              automated: { prune: bundle.prune, selfHeal: bundle.selfHeal },
              syncOptions: syncOptions.length === 0 ? undefined : syncOptions,
            },
            info: bundle.description === undefined ? undefined : [{ name: 'Description', value: bundle.description }],
          },
        },
        templatePatch: lazyString(() => (carriesValues() ? VALUES_PATCH : undefined)),
      },
    });
  }
}

/** Merges an element's values over the template's `helm.valuesObject` (JSON is valid YAML flow style). */
const VALUES_PATCH = [
  'spec:',
  '  source:',
  '    helm:',
  '      valuesObject: {{ toJson .values }}',
  '',
].join('\n');

/**
 * A string computed when the fleet is synthesized. cdk8s resolves tokens anywhere in an object, metadata included,
 * but the typed metadata only admits strings.
 */
function lazyString(produce: () => string | undefined): string {
  return Lazy.any({ produce }) as unknown as string;
}
