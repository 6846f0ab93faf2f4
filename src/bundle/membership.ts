import type { IConstruct } from 'constructs';
import type { Bundle } from './bundle';
import type { BundleRegistry } from './bundle-registry';
import type { BundleTarget } from './bundle-target';
import { secretLikeValues, secretValuesProblem } from './secrets';
import { ValidationError } from '../_errors';
import { isPlainObject, mergeValues, plainDataProblem } from '../_json';
import { byName } from '../_order';
import { checkPlainMap, describeValue } from '../_validate';
import type { ClusterNaming } from '../naming/cluster-names';

/** What a cluster says about its bundles, besides those of its profiles. */
export interface ClusterBundleOptions {
  /**
   * Bundles of this cluster's own, installed next to those of its profiles.
   *
   * @default - none
   */
  readonly bundles?: readonly Bundle[];
  /**
   * Names of bundles of its profiles this cluster does not install.
   *
   * @default - none
   */
  readonly excludeBundles?: readonly string[];
  /**
   * Helm values for this cluster only, by bundle name (e.g. a hostname), merged over the bundle's values.
   *
   * @default - none
   */
  readonly bundleValues?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Anything that contributes bundles to a cluster: a profile. */
export interface BundleProvider {
  readonly name: string;
  readonly bundles: readonly Bundle[];
}

/**
 * The bundles a cluster installs: the union of its profiles' bundles (each once, in profile order), plus its own,
 * minus those it excludes. Registers each with the fleet's registry, unless `install` is false (a retired cluster:
 * checked, but its bundle Applications go), and returns them in name order. `pending` names bundles the cluster gets
 * once its rollout wave is released: its exclusions and values for them wait until then.
 */
export function clusterBundles(
  owner: IConstruct, target: BundleTarget & { readonly naming: ClusterNaming }, profiles: readonly BundleProvider[], options: ClusterBundleOptions,
  registry: BundleRegistry,
  install = true, pending: ReadonlySet<string> = new Set(),
): Bundle[] {
  const bundlesByName = new Map<string, Bundle>();
  for (const bundle of [...profiles.flatMap((p) => p.bundles), ...(options.bundles ?? [])]) {
    bundlesByName.set(bundle.name, registry.define(bundle, owner));
  }
  const offered = [...bundlesByName.keys()].sort();
  for (const excluded of options.excludeBundles ?? []) {
    if (!bundlesByName.delete(excluded) && !pending.has(excluded)) {
      throw new ValidationError(`\`excludeBundles\` names "${excluded}", which none of its profiles installs (bundles: ${offered.join(', ') || 'none'}); fix the name or drop it`, owner);
    }
  }
  const notAMap = checkPlainMap('`bundleValues`', options.bundleValues, '{ wordpress: { replicaCount: 2 } }');
  if (notAMap !== undefined) {
    throw new ValidationError(`${notAMap}: Helm values by bundle name`, owner);
  }
  for (const [name, values] of Object.entries(options.bundleValues ?? {})) {
    const bundle = bundlesByName.get(name);
    if (bundle === undefined && pending.has(name)) {
      continue;
    }
    if (bundle === undefined) {
      throw new ValidationError(`\`bundleValues\` sets values for bundle "${name}", which this cluster does not install (bundles: ${[...bundlesByName.keys()].sort().join(', ') || 'none'}); fix the name`, owner);
    }
    if (!bundle.takesValues) {
      throw new ValidationError(`\`bundleValues\` sets values for bundle "${name}", which is a ${bundle.kind} bundle without Helm values; only Helm charts take values`, owner);
    }
    if (!isPlainObject(values)) {
      throw new ValidationError(`\`bundleValues\` for bundle "${name}" must be an object of Helm values, e.g. { ingress: { hostname: "..." } }, `
        + `but it is ${describeValue(values)}`, owner);
    }
  }
  const bundles = [...bundlesByName.values()].sort(byName);
  for (const bundle of bundles) {
    if (bundle.requiresEksSpec && target.spec === undefined) {
      throw new ValidationError(`bundle "${bundle.name}" needs a cluster created from an EKS spec, and "${target.name}" is an external cluster; `
        + `exclude it with \`excludeBundles: ['${bundle.name}']\``, owner);
    }
    let computed: Record<string, unknown>;
    try {
      computed = bundle.valuesFor(target);
    } catch (e) {
      throw new ValidationError(`values of bundle "${bundle.name}" for this cluster could not be computed: ${(e as Error).message}`, owner);
    }
    const own = options.bundleValues?.[bundle.name] ?? {};
    for (const [what, data] of [['the values it computes (`valuesForCluster`)', computed], ['`bundleValues`', own]] as const) {
      const problem = isPlainObject(data) ? plainDataProblem(data) : `they are ${describeValue(data)}, not a map of Helm values`;
      if (problem !== undefined) {
        throw new ValidationError(`bundle "${bundle.name}", ${what} for this cluster: ${problem}`, owner);
      }
    }
    const values = mergeValues(computed, own);
    const secretProblem = bundle.allowSecrets ? undefined : secretValuesProblem(`values of bundle "${bundle.name}" for this cluster`, secretLikeValues(values));
    if (secretProblem !== undefined) {
      throw new ValidationError(secretProblem, owner);
    }
    if (install) {
      registry.use(bundle, { cluster: target.name, naming: target.naming, external: target.spec === undefined, values });
    }
  }
  return bundles;
}
