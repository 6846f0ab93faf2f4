import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { InlineBundle, type Bundle, type FleetRepository } from './bundle';
import { reviveBundle } from './revive';
import { secretLikeValues, secretValuesProblem } from './secrets';
import { allowCredentialText } from '../_credentials';
import { ValidationError, throwIfInvalid } from '../_errors';
import { contentId, stableJson } from '../_json';
import { checkDnsLabel } from '../_validate';
import { BundleApplicationSet, type BundleFleetContext, type BundleUse } from '../argocd/bundle-application-set';
import type { FleetShard } from '../argocd/fleet-argocd';
import { bundleApplicationName } from '../naming/cluster-names';
import { DistFile } from '../output/dist-file';
import { DistLayout } from '../output/layout';
import { ManifestChart } from '../output/manifest-chart';

interface Definition {
  readonly bundle: Bundle;
  readonly by: IConstruct;
}

interface Deployment {
  /** The bundle as the fleet defines it: the template of its ApplicationSets. */
  readonly bundle: Bundle;
  /** Whether its values for every cluster are written (always, once a cluster installs another definition of it). */
  baseValuesWritten: boolean;
  /** The files of the values of earlier definitions clusters still install, by revision. */
  readonly revisionValues: Set<string>;
  readonly uses: BundleUse[];
  /** The bundle's ApplicationSets, by shard label, each with the uses of that shard. */
  readonly shards: Map<string, { readonly uses: BundleUse[]; readonly applicationSet: BundleApplicationSet }>;
  readonly inlineChart?: ManifestChart;
}

/** What the registry needs from its fleet. */
export interface BundleRegistryContext extends BundleFleetContext {
  /** The shard of a cluster, whose folder receives the ApplicationSets of the bundles it carries. */
  readonly shardFor: (cluster: string) => FleetShard;
}

/**
 * The fleet's bundles: one definition per bundle name, and for each bundle some cluster uses, its ApplicationSets
 * (one per shard of the clusters that carry it), its values files, and for an inline bundle the chart its objects
 * are rendered into. Created by the fleet; profiles define bundles, clusters use them.
 */
export class BundleRegistry {
  /** Where inline bundles are served from. */
  public readonly repository: FleetRepository;
  private readonly definitions = new Map<string, Definition>();
  /** Earlier definitions of bundles, which clusters in a rollout still install (see `variant`). */
  private readonly variants = new WeakSet<Bundle>();
  /** The bundles made from definitions a rollout recorded, by record: one per record, whatever the number of clusters. */
  private readonly recorded = new WeakMap<object, Bundle | undefined>();
  /** Earlier definitions whose values for every cluster are written. */
  private readonly valuesWritten = new WeakSet<Bundle>();
  private readonly carriers = new Map<string, Set<string>>();
  private readonly deployments = new Map<string, Deployment>();
  private readonly valuesFiles: Construct;
  private readonly inlineBundles: Construct;

  constructor(scope: Construct, private readonly fleet: BundleRegistryContext) {
    this.repository = fleet;
    this.valuesFiles = new Construct(scope, 'BundleValues');
    this.inlineBundles = new Construct(scope, 'InlineBundles');
  }

  /**
   * Records that `by` (a profile or cluster) carries `bundle`. A name stands for one definition across the fleet:
   * the same object, or (for bundles that hold only data) an equal one.
   *
   * @param profile the name of the profile that carries the bundle, when `by` is one
   * @returns the bundle that stands for the name (the first one defined)
   */
  public define(bundle: Bundle, by: IConstruct, profile?: string): Bundle {
    throwIfInvalid(bundle.problems(), by);
    if (bundle.allowSecrets) {
      // What the opt-out lets through may reach the fleet's own files too: the description, in the ApplicationSets.
      allowCredentialText(by, bundle.description);
    }
    if (this.variants.has(bundle)) {
      return bundle;
    }
    if (profile !== undefined) {
      this.carriers.set(bundle.name, new Set([...(this.carriers.get(bundle.name) ?? []), profile]));
    }
    const existing = this.definitions.get(bundle.name);
    if (existing === undefined) {
      this.definitions.set(bundle.name, { bundle, by });
      return bundle;
    }
    if (existing.bundle !== bundle) {
      const mine = bundle.definition();
      const theirs = existing.bundle.definition();
      if (mine === undefined || theirs === undefined || stableJson(mine) !== stableJson(theirs)) {
        throw new ValidationError(`bundle "${bundle.name}" is defined differently here and by "${existing.by.node.path}"${describeDifference(mine, theirs)}; `
          + 'a bundle name stands for one definition in the fleet, so share one Bundle object or give one of them another name', by);
      }
    }
    return existing.bundle;
  }

  /**
   * Accepts `bundle` as an earlier definition of a bundle the fleet defines otherwise: a cluster whose rollout wave runs
   * an earlier revision of its profile installs it, through the same ApplicationSets (their Applications take its
   * source and values by parameters of the cluster's list element).
   */
  public variant(bundle: Bundle, by: IConstruct): Bundle {
    if (!this.variants.has(bundle)) {
      throwIfInvalid(bundle.problems(), by);
      if (bundle.allowSecrets) {
        allowCredentialText(by, bundle.description);
      }
      this.variants.add(bundle);
    }
    return bundle;
  }

  /**
   * The bundle a definition a rollout recorded describes (see `reviveBundle`), made once per record, so that the
   * clusters of a wave share it; undefined when it cannot be made.
   */
  public recordedBundle(definition: Readonly<Record<string, unknown>>, current: Bundle | undefined): Bundle | undefined {
    if (!this.recorded.has(definition)) {
      this.recorded.set(definition, reviveBundle(definition, current));
    }
    return this.recorded.get(definition);
  }

  /** The bundle that stands for `name` in the fleet, when something defined it. */
  public definedBundle(name: string): Bundle | undefined {
    return this.definitions.get(name)?.bundle;
  }

  /**
   * Installs `bundle` on a cluster with the values of its own: the first use on a shard creates the bundle's
   * ApplicationSet there, and values of its own are written to the cluster's values file.
   */
  public use(bundle: Bundle, use: BundleUse): void {
    const deployment = this.deploymentOf(bundle);
    if (bundle !== deployment.bundle) {
      use = { ...use, bundle };
      this.writeRevisionValues(deployment, bundle);
    }
    deployment.uses.push(use);
    const shard = this.fleet.shardFor(use.cluster);
    let onShard = deployment.shards.get(shard.label);
    if (onShard === undefined) {
      const uses: BundleUse[] = [];
      const applicationSet = new BundleApplicationSet(shard.chart, `Bundle-${bundle.name}`, {
        bundle: deployment.bundle,
        fleet: this.fleet,
        shard: shard.label,
        uses: () => uses,
        profiles: () => [...(this.carriers.get(bundle.name) ?? [])],
      });
      onShard = { uses, applicationSet };
      deployment.shards.set(shard.label, onShard);
    }
    onShard.uses.push(use);
    if (Object.keys(use.values).length > 0) {
      // The clusters without values of their own name the bundle's file in the place of theirs: it exists, if empty.
      this.writeBaseValues(deployment);
      new DistFile(this.valuesFiles, `${bundle.name}/${use.cluster}`, {
        path: DistLayout.clusterValuesFile(bundle.name, use.cluster),
        data: () => structuredClone(use.values) as Record<string, unknown>,
        allowSecrets: bundle.allowSecrets,
      });
    }
  }

  /**
   * Every repository a bundle in use pulls from, the definitions held back by a rollout included: their clusters'
   * Applications still read them, and a project that no longer permits a source makes Argo CD stop syncing them
   * (`util/argo/argo.go`, `ValidatePermissions`).
   */
  public repositories(): string[] {
    return [...new Set([...this.deployments.values()].flatMap((d) => [d.bundle, ...d.uses.map((use) => use.bundle ?? d.bundle)])
      .map((bundle) => bundle.repositoryUrl(this.repository)))].sort();
  }

  /** Every namespace a bundle in use writes to. */
  public namespaces(): string[] {
    return [...new Set([...this.deployments.values()].flatMap((d) => this.namespacesOf(d.bundle)))].sort();
  }

  /** Every ApplicationSet of `bundle` (one per shard), in shard order. */
  public applicationSetsOf(bundle: string): BundleApplicationSet[] {
    return [...(this.deployments.get(bundle)?.shards.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s.applicationSet);
  }

  /** The (Application name, bundle, cluster) of every Application the ApplicationSets will generate. */
  public generatedApplications(): Array<{ name: string; bundle: string; cluster: string }> {
    return [...this.deployments.entries()].flatMap(([bundle, deployment]) =>
      deployment.uses.map((use) => ({
        name: bundleApplicationName(this.fleet.name, use.cluster, bundle, use.naming), bundle, cluster: use.cluster,
      })));
  }

  /**
   * The namespaces `bundle` writes to on a cluster: its own, its `extraNamespaces`, and for an inline bundle every
   * namespace set on its objects. Read when the fleet is synthesized, after user code has added everything.
   */
  public namespacesOf(bundle: Bundle): string[] {
    const namespaces = new Set([bundle.namespace, ...bundle.extraNamespaces]);
    const chart = this.deployments.get(bundle.name)?.inlineChart;
    for (const construct of chart?.node.findAll() ?? []) {
      if (ApiObject.isApiObject(construct) && construct.metadata.namespace !== undefined) {
        namespaces.add(construct.metadata.namespace);
      }
    }
    return [...namespaces].sort();
  }

  /**
   * Writes the values for every cluster of `variant`, an earlier definition, beside the bundle's own (which is then
   * written even when empty): its clusters' Applications name one or the other by a parameter.
   */
  private writeRevisionValues(deployment: Deployment, variant: Bundle): void {
    // once per definition: the clusters of a wave share theirs
    if (!variant.takesValues || this.valuesWritten.has(variant)) {
      return;
    }
    this.valuesWritten.add(variant);
    const revision = contentId(variant.revisionData());
    if (!deployment.revisionValues.has(revision)) {
      deployment.revisionValues.add(revision);
      new DistFile(this.valuesFiles, `${variant.name}/revisions/${revision}`, {
        path: DistLayout.bundleRevisionValuesFile(variant.name, revision),
        data: () => structuredClone(variant.baseValues()) as Record<string, unknown>,
        allowSecrets: variant.allowSecrets,
      });
    }
    this.writeBaseValues(deployment);
  }

  private writeBaseValues(deployment: Deployment): void {
    if (!deployment.baseValuesWritten) {
      deployment.baseValuesWritten = true;
      const bundle = deployment.bundle;
      new DistFile(this.valuesFiles, bundle.name, {
        path: DistLayout.bundleValuesFile(bundle.name),
        data: () => structuredClone(bundle.baseValues()) as Record<string, unknown>,
        allowSecrets: bundle.allowSecrets,
      });
    }
  }

  private deploymentOf(used: Bundle): Deployment {
    let deployment = this.deployments.get(used.name);
    if (deployment === undefined) {
      // The fleet's own definition is the template, whichever cluster comes first.
      const bundle = this.definitions.get(used.name)?.bundle ?? used;
      let inlineChart: ManifestChart | undefined;
      if (bundle instanceof InlineBundle) {
        const chart = inlineChart = new ManifestChart(this.inlineBundles, bundle.name, {
          folder: DistLayout.bundleDir(bundle.name), allowSecrets: bundle.allowSecrets,
        });
        try {
          const returned: unknown = bundle.define(chart);
          if (returned instanceof Promise || (typeof returned === 'object' && returned !== null && typeof (returned as { then?: unknown }).then === 'function')) {
            // The synth does not wait: what it adds after its first `await` would be missing from dist/, or added mid-synth.
            (returned as Promise<unknown>).catch?.(() => undefined);
            throw new ValidationError(`inline bundle "${bundle.name}": its \`define\` is asynchronous (it returned a promise), and the synth does not `
              + 'wait for it, so objects it adds later would be missing from dist/; make `define` synchronous and compute what it needs before the fleet is built', chart);
          }
        } catch (e) {
          if (e instanceof ValidationError) {
            throw e;
          }
          throw new ValidationError(`inline bundle "${bundle.name}": its \`define\` threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}; `
            + 'fix the construct code it runs', chart);
        }
        chart.node.addValidation({ validate: () => inlineObjectNameProblems(bundle.name, chart) });
        if (!bundle.allowSecrets) {
          chart.node.addValidation({ validate: () => [...secretObjectProblems(bundle.name, chart), ...secretFieldProblems(bundle.name, chart)] });
        }
      }
      deployment = { bundle, uses: [], shards: new Map(), inlineChart, baseValuesWritten: false, revisionValues: new Set() };
      this.deployments.set(bundle.name, deployment);
      if (Object.keys(bundle.baseValues()).length > 0) {
        this.writeBaseValues(deployment);
      }
    }
    return deployment;
  }
}

/** " (version: "1" here, "2" there)" for the first fields that differ, when both definitions are data. */
function describeDifference(mine: Record<string, unknown> | undefined, theirs: Record<string, unknown> | undefined): string {
  if (mine === undefined || theirs === undefined) {
    return ' (a bundle that holds code, such as an inline bundle or per-cluster values, is only equal to itself)';
  }
  const fields = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].filter((k) => stableJson(mine[k]) !== stableJson(theirs[k]));
  return ` (${fields.slice(0, 3).map((k) => `${k}: ${stableJson(mine[k])} here, ${stableJson(theirs[k])} there`).join('; ')})`;
}

/** Secret objects with data in an inline bundle: dist/ is committed, so they would put secrets in git. */
function secretObjectProblems(bundle: string, chart: Construct): string[] {
  return chart.node.findAll().filter(ApiObject.isApiObject).filter((o) => o.kind === 'Secret').flatMap((secret) => {
    const json = secret.toJson() as { data?: object; stringData?: object };
    const fields = (['data', 'stringData'] as const).filter((f) => json[f] !== undefined && Object.keys(json[f]!).length > 0);
    return fields.length === 0 ? [] : [`Secret "${secret.name}" of inline bundle "${bundle}" carries ${fields.join(' and ')}; dist/ is committed to git, `
      + 'so secrets never go there: create the Secret with External Secrets (an ExternalSecret object) or the AWS Secrets Manager CSI driver, '
      + 'or set `allowSecrets: true` on the bundle if the data is not secret'];
  });
}

/** RBAC objects take any path segment name (`system:aggregate-to-view`); other kinds a DNS-1123 subdomain. */
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Names and namespaces of an inline bundle's objects the API server would refuse. They also become file names and
 * AppProject destinations, so nothing else may reach dist/.
 */
function inlineObjectNameProblems(bundle: string, chart: Construct): string[] {
  return chart.node.findAll().filter(ApiObject.isApiObject).flatMap((obj) => {
    const what = `${obj.kind} "${obj.name}" of inline bundle "${bundle}"`;
    const name = obj.name;
    const nameOk = RBAC_KINDS.has(obj.kind)
      ? name.length > 0 && name.length <= 253 && name !== '.' && name !== '..' && !/[/%\\\s]/.test(name)
      : name.length <= 253 && DNS_SUBDOMAIN.test(name);
    const namespace = obj.metadata.namespace;
    return [
      nameOk ? undefined : `${what}: the name is not a valid Kubernetes object name (${RBAC_KINDS.has(obj.kind)
        ? 'no "/", "%" or spaces, not "." or ".."' : 'a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", at most 253 characters'})`,
      namespace === undefined ? undefined : checkDnsLabel(`${what}: namespace`, namespace),
    ].filter((p): p is string => p !== undefined);
  });
}

/**
 * Literal values under secret-looking keys, or of secret-looking name/value pairs (a container's `env`), in the
 * objects of an inline bundle other than Secrets (checked above): a ConfigMap's `password`, an env `DB_PASSWORD`.
 */
function secretFieldProblems(bundle: string, chart: Construct): string[] {
  return chart.node.findAll().filter(ApiObject.isApiObject).filter((o) => o.kind !== 'Secret').flatMap((obj) => {
    const problem = secretValuesProblem(`${obj.kind} "${obj.name}" of inline bundle "${bundle}"`, secretLikeValues(obj.toJson()));
    return problem === undefined ? [] : [problem];
  });
}
