import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { goTemplateLiteral, literalDeep, parameter } from './go-template';
import { ArgoNames } from './names';
import { CASCADE_FINALIZER, MANIFEST_GENERATE_PATHS, RETRY } from './sync';
import { contentId } from '../_json';
import { lazyValue } from '../_lazy';
import { compareStrings } from '../_order';
import type { Bundle, BundleSource, FleetRepository } from '../bundle/bundle';
import { RemovalPolicy } from '../bundle/removal-policy';
import { Annotations, Labels } from '../fleet/labels';
import * as l1 from '../l1';
import { ClusterNaming, bundleApplicationName, clusterBaseName } from '../naming/cluster-names';
import { DistLayout } from '../output/layout';

/** One cluster that receives a bundle, with the Helm values of its own (over the bundle's). */
export interface BundleUse {
  readonly cluster: string;
  /** How the cluster's Applications are named. */
  readonly naming: ClusterNaming;
  /** Whether it is an external cluster: Argo CD knows it by its own name, not by a name the fleet gives it. */
  readonly external: boolean;
  readonly values: Readonly<Record<string, unknown>>;
  /** An earlier definition of the bundle the cluster still installs (its rollout wave is not released); absent: the fleet's. */
  readonly bundle?: Bundle;
}

/** What the ApplicationSet needs to know about its fleet. */
export interface BundleFleetContext extends FleetRepository {
  readonly name: string;
  readonly argocdNamespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Properties of a `BundleApplicationSet`. */
export interface BundleApplicationSetProps {
  readonly bundle: Bundle;
  readonly fleet: BundleFleetContext;
  /** The shard's label, e.g. `07`. */
  readonly shard: string;
  /** The shard's clusters that receive the bundle, read when the fleet is synthesized. */
  readonly uses: () => readonly BundleUse[];
  /** The profiles that carry the bundle, read when the fleet is synthesized. */
  readonly profiles: () => readonly string[];
}

/** The name of the fleet-repository source a bundle's value files are read from (`$values/...`). */
const VALUES_REF = 'values';

/** The list-element parameter naming a cluster's own value file (or its base file, when it has no values of its own). */
const CLUSTER_VALUES = 'clusterValues';
/** The list-element parameters of an Application's name and destination, when the clusters are not all named alike. */
const APPLICATION = 'application';
const DESTINATION = 'destination';

/**
 * The ApplicationSet of one bundle on one shard of the fleet's clusters: one Application `<cluster>-<bundle>` per
 * cluster of the shard that carries the bundle, once the cluster is registered in Argo CD.
 *
 * - **Who gets it** is the list of clusters in its list generator, reviewable in `dist/`, and nothing else: the
 *   generator reads no cluster Secret, so the controller's work is linear in the clusters listed, and no cluster Secret
 *   event re-queues it (`applicationset/controllers/clustereventhandler.go` re-queues only ApplicationSets with a
 *   cluster generator, whatever its selector; a matrix with one listed every cluster Secret once per element).
 * - **External clusters** (added to Argo CD by their owners) get theirs once `arlonctl register` has checked and
 *   labelled their Secret: they are listed apart, as the first generator of a matrix with Argo CD's cluster generator
 *   selecting that label. That gate costs what the matrix does (every cluster Secret matched once per external
 *   element, and a re-queue on every cluster Secret event) on the ApplicationSets that list an external cluster only.
 * - **Only registered clusters get an Application**: the controller validates each Application it generates and
 *   neither creates nor updates one whose destination is not a cluster Argo CD knows
 *   (`applicationset_controller.go` `validateGeneratedApplications`); it then reports `ErrorOccurred` and reconciles
 *   the ApplicationSet again within 3 minutes (`ReconcileRequeueOnValidationError`), so a cluster's bundles follow its
 *   registration within 3 minutes. It never deletes an Application it still generates, so a cluster whose Secret goes
 *   away (re-registered, or deregistered by hand) keeps its Applications, idle, until its Secret is back.
 * - **Values** are Helm value files in the fleet repository, read through a `ref` source: the bundle's
 *   (`dist/bundles/<bundle>/values.yaml`), then the cluster's own (`values/<cluster>.yaml`), merged by Helm. No value
 *   ever passes through the template, so nothing in them is rendered as a Go template.
 * - **Every string from the user** in the template is a Go template literal: a `{{` reaches the Application as is.
 * - **Removal keeps the workloads** unless the bundle's `removalPolicy` is `DESTROY`: no resources finalizer, and
 *   `preserveResourcesOnDeletion` stops Argo CD adding one, so an Application deleted because a cluster stopped
 *   carrying the bundle leaves what it installed running.
 */
export class BundleApplicationSet extends Construct {
  /** The ApplicationSet (escape hatch). */
  public readonly resource: l1.ArgoApplicationSet;

  constructor(scope: Construct, id: string, props: BundleApplicationSetProps) {
    super(scope, id);
    const { bundle, fleet } = props;
    const labels = { ...fleet.labels, [Labels.BUNDLE]: bundle.name };
    const uses = () => [...props.uses()].sort((a, b) => compareStrings(a.cluster, b.cluster));
    const syncOptions = [...(bundle.createNamespace ? ['CreateNamespace=true'] : []), ...bundle.syncOptions]
      .filter((option, i, all) => all.indexOf(option) === i);

    this.resource = new l1.ArgoApplicationSet(this, 'Resource', {
      metadata: {
        name: ArgoNames.bundleApplicationSet(fleet.name, bundle.name, props.shard),
        namespace: fleet.argocdNamespace,
        labels,
        // What `arlonctl list` reads back from dist/ alone.
        annotations: {
          [Annotations.BUNDLE_KIND]: bundle.kind,
          [Annotations.BUNDLE_SOURCE]: lazyValue(() => fleetSource(bundle, fleet, uses())) as string,
          [Annotations.PROFILES]: lazyValue(() => [...props.profiles()].sort().join(',')),
        },
      },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        syncPolicy: { preserveResourcesOnDeletion: true },
        generators: Lazy.any({ produce: () => generators(bundle, fleet, uses()) }),
        template: Lazy.any({ produce: () => this.template(props, labels, syncOptions, uses()) }),
      },
    });
  }

  private template(props: BundleApplicationSetProps, labels: Record<string, string>, syncOptions: string[], uses: readonly BundleUse[]) {
    const { bundle, fleet } = props;
    const literalPath = (file: string) => goTemplateLiteral(fleet.distFilePath(file));
    const hasBase = Object.keys(bundle.baseValues()).length > 0;
    const withOwn = uses.some((use) => Object.keys(use.values).length > 0);
    // Each cluster's own file: by its name when every cluster has one, else by a parameter of its list element.
    const ownFile = ownValuesByParameter(uses) ? parameter(CLUSTER_VALUES) : `${literalPath(DistLayout.clusterValuesDir(bundle.name))}/${parameter('cluster')}.yaml`;
    // Clusters of a rollout wave not released yet install an earlier definition: its source and values by parameters.
    const varying = varyingSource(bundle, fleet, uses);
    const baseFile = varying.has('bundleValues') ? parameter('bundleValues') : literalPath(DistLayout.bundleValuesFile(bundle.name));
    // Every file an Application names exists in the commit that names it, so `ignoreMissingValueFiles` is never set: a
    // file that goes missing (a commit that removes it before Argo CD updated the Application) fails the Application
    // loudly rather than rendering the chart without it (`reposerver/repository/repository.go`). A cluster without values
    // of its own names its base file again in the place of its own (Helm merging a file twice changes nothing).
    const valueFiles = [
      ...(hasBase || varying.has('bundleValues') ? [`$${VALUES_REF}/${baseFile}`] : []),
      ...(withOwn ? [`$${VALUES_REF}/${ownFile}`] : []),
    ];
    const source = withParameters(literalDeep(bundle.source(fleet)), varying);
    const sources: BundleSource[] = valueFiles.length === 0 ? [source] : [
      { ...source, helm: { ...source.helm, valueFiles } },
      { repoUrl: goTemplateLiteral(fleet.repoUrl), targetRevision: goTemplateLiteral(fleet.targetRevision), ref: VALUES_REF },
    ];
    // Only a commit that touches these paths of the fleet repository makes Argo CD regenerate the manifests.
    const watched = [
      ...(bundle.kind === 'inline' ? [`/${literalPath(DistLayout.bundleDir(bundle.name))}`] : []),
      ...(hasBase || varying.has('bundleValues') ? [`/${baseFile}`] : []),
      ...(withOwn ? [`/${ownFile}`] : []),
    ];
    const names = useNames(fleet.name, bundle.name, uses);
    return {
      metadata: {
        name: names.application,
        namespace: fleet.argocdNamespace,
        labels: { ...literalDeep(labels), [Labels.CLUSTER]: parameter('cluster') },
        annotations: watched.length === 0 ? undefined : { [MANIFEST_GENERATE_PATHS]: watched.join(';') },
        // The controller sets an Application's finalizers to the template's, so switching the policy reaches the
        // Applications that exist (applicationset/controllers/applicationset_controller.go, createOrUpdateInCluster).
        finalizers: bundle.removalPolicy === RemovalPolicy.DESTROY ? [CASCADE_FINALIZER] : undefined,
      },
      spec: {
        project: goTemplateLiteral(ArgoNames.bundlesProject(fleet.name)),
        ...(sources.length === 1 ? { source: sources[0] } : { sources }),
        destination: { name: names.destination, namespace: goTemplateLiteral(bundle.namespace) },
        syncPolicy: {
          automated: { prune: bundle.prune, selfHeal: bundle.selfHeal },
          syncOptions: syncOptions.length === 0 ? undefined : literalDeep(syncOptions),
          retry: RETRY,
        },
        info: bundle.description === undefined ? undefined : [{ name: 'Description', value: goTemplateLiteral(bundle.description) }],
      },
    };
  }
}

/** The list-element parameters of the source fields that differ among the definitions the clusters install. */
const SOURCE_PARAMETERS = {
  bundleRepoURL: (s: BundleSource) => s.repoUrl,
  bundleChart: (s: BundleSource) => s.chart,
  bundleTargetRevision: (s: BundleSource) => s.targetRevision,
  bundlePath: (s: BundleSource) => s.path,
  bundleReleaseName: (s: BundleSource) => s.helm?.releaseName,
} as const;

type SourceParameter = keyof typeof SOURCE_PARAMETERS | 'bundleValues';

/** The bundle a use installs: an earlier definition, or the fleet's. */
const definitionOf = (bundle: Bundle, use: BundleUse) => use.bundle ?? bundle;

/**
 * Which parameters the clusters' list elements carry: none while every cluster installs the fleet's definition;
 * during a rollout, each source field in which the definitions differ, and the file of their values for every cluster.
 */
function varyingSource(bundle: Bundle, fleet: BundleFleetContext, uses: readonly BundleUse[]): Set<SourceParameter> {
  const definitions = [...new Set(uses.map((use) => definitionOf(bundle, use)))];
  if (definitions.every((d) => d === bundle)) {
    return new Set();
  }
  // compared with the template's own (the fleet's definition), which a shard of held clusters alone does not use
  const sources = [bundle, ...definitions].map((d) => d.source(fleet));
  const varying = new Set<SourceParameter>((Object.keys(SOURCE_PARAMETERS) as Array<keyof typeof SOURCE_PARAMETERS>)
    .filter((name) => new Set(sources.map(SOURCE_PARAMETERS[name])).size > 1));
  if (bundle.takesValues) {
    varying.add('bundleValues');
  }
  return varying;
}

/** `source` with each varying field taken from the list element's parameter. */
function withParameters(source: BundleSource, varying: ReadonlySet<SourceParameter>): BundleSource {
  const param = (name: SourceParameter, value: string | undefined) => (varying.has(name) ? parameter(name) : value);
  return {
    ...source,
    repoUrl: param('bundleRepoURL', source.repoUrl)!,
    ...(source.chart === undefined ? {} : { chart: param('bundleChart', source.chart) }),
    ...(source.targetRevision === undefined ? {} : { targetRevision: param('bundleTargetRevision', source.targetRevision) }),
    ...(source.path === undefined ? {} : { path: param('bundlePath', source.path) }),
    ...(source.helm?.releaseName === undefined ? {} : { helm: { ...source.helm, releaseName: param('bundleReleaseName', source.helm.releaseName) } }),
  };
}

/** Whether some clusters have values of their own and some not: each element then names the file its cluster reads. */
function ownValuesByParameter(uses: readonly BundleUse[]): boolean {
  const own = uses.filter((use) => Object.keys(use.values).length > 0).length;
  return own > 0 && own < uses.length;
}

/**
 * The name of the Application that installs `bundle` on `cluster`, and Argo CD's name for the cluster: an external
 * cluster goes by its own name, a fleet cluster by its base name.
 */
function namesOf(fleet: string, cluster: string, bundle: string, use: Pick<BundleUse, 'naming' | 'external'>): { application: string; destination: string } {
  return {
    application: bundleApplicationName(fleet, cluster, bundle, use.naming),
    destination: use.external ? cluster : clusterBaseName(fleet, cluster, use.naming),
  };
}

/**
 * How the template names each cluster's Application and its destination: from the cluster's name when the clusters
 * are all named alike (all fleet-scoped, all unscoped; external clusters go by their own name), else by parameters
 * of the list elements (a fleet that moves to fleet-scoped names cluster by cluster).
 */
function useNames(fleet: string, bundle: string, uses: readonly BundleUse[]) {
  const scoped = (use: BundleUse) => use.naming !== ClusterNaming.UNSCOPED;
  const fleetScoped = (use: BundleUse) => !use.external && scoped(use);
  const uniform = (test: (use: BundleUse) => boolean) => uses.every(test) || !uses.some(test);
  const byApplication = !uniform(scoped);
  const byDestination = !uniform(fleetScoped);
  // the names every cluster shares, with the cluster's name a parameter and the fleet's and the bundle's literal
  const shared = namesOf(goTemplateLiteral(fleet), parameter('cluster'), goTemplateLiteral(bundle), uses[0] ?? { naming: ClusterNaming.UNSCOPED, external: false });
  return {
    application: byApplication ? parameter(APPLICATION) : shared.application,
    destination: byDestination ? parameter(DESTINATION) : shared.destination,
    parameters: (use: BundleUse): Record<string, string> => {
      const { application, destination } = namesOf(fleet, use.cluster, bundle, use);
      return { ...(byApplication ? { [APPLICATION]: application } : {}), ...(byDestination ? { [DESTINATION]: destination } : {}) };
    },
  };
}

/**
 * The generators: a list of the fleet clusters, and a matrix of a list of the external clusters with the cluster
 * generator, which yields an external cluster only while its Argo CD cluster Secret carries the labels `arlonctl
 * register` writes once it has checked the cluster (not the management cluster, for one).
 */
function generators(bundle: Bundle, fleet: BundleFleetContext, uses: readonly BundleUse[]): unknown[] {
  const all = elements(bundle, fleet, uses);
  const fleetClusters = all.filter((_, i) => !uses[i].external);
  const externalClusters = all.filter((_, i) => uses[i].external);
  return [
    ...(fleetClusters.length > 0 ? [{ list: { elements: fleetClusters } }] : []),
    ...(externalClusters.length === 0 ? [] : [{
      matrix: {
        generators: [
          { list: { elements: externalClusters } },
          { clusters: { selector: { matchLabels: { [Labels.CLUSTER]: parameter('cluster'), [Labels.FLEET]: goTemplateLiteral(fleet.name) } } } },
        ],
      },
    }]),
  ];
}

/** The list elements: each cluster, with the parameters of the definition it installs, and its value file. */
function elements(bundle: Bundle, fleet: BundleFleetContext, uses: readonly BundleUse[]): Array<Record<string, string>> {
  const varying = varyingSource(bundle, fleet, uses);
  const byParameter = ownValuesByParameter(uses);
  const names = useNames(fleet.name, bundle.name, uses);
  const baseFileOf = (definition: Bundle) => fleet.distFilePath(definition === bundle ? DistLayout.bundleValuesFile(bundle.name)
    : DistLayout.bundleRevisionValuesFile(bundle.name, contentId(definition.revisionData())));
  // computed once per definition: a wave's clusters share theirs
  const parameters = new Map<Bundle, Record<string, string>>();
  const parametersOf = (definition: Bundle) => {
    let params = parameters.get(definition);
    if (params === undefined) {
      const source = definition.source(fleet);
      params = Object.fromEntries([...varying].map((name) => [name, name === 'bundleValues' ? baseFileOf(definition) : SOURCE_PARAMETERS[name](source) ?? '']));
      parameters.set(definition, params);
    }
    return params;
  };
  return uses.map((use) => {
    const definition = definitionOf(bundle, use);
    const own = Object.keys(use.values).length > 0;
    const ownFile = () => fleet.distFilePath(DistLayout.clusterValuesFile(bundle.name, use.cluster));
    return {
      cluster: use.cluster,
      ...names.parameters(use),
      ...parametersOf(definition),
      ...(byParameter ? { [CLUSTER_VALUES]: own ? ownFile() : baseFileOf(definition) } : {}),
    };
  });
}

/** The fleet's values of the source fields its clusters take from parameters (JSON), or undefined when none do. */
function fleetSource(bundle: Bundle, fleet: BundleFleetContext, uses: readonly BundleUse[]): string | undefined {
  const varying = [...varyingSource(bundle, fleet, uses)].filter((name): name is keyof typeof SOURCE_PARAMETERS => name in SOURCE_PARAMETERS);
  if (varying.length === 0) {
    return undefined;
  }
  const source = bundle.source(fleet);
  return JSON.stringify(Object.fromEntries(varying.map((name) => [name, SOURCE_PARAMETERS[name](source)])));
}
