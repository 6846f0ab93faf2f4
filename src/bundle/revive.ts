import { Bundle, BundleKind, GitBundle, HelmBundle, ValuesBundle } from './bundle';
import type { GitBundleOptions, HelmBundleOptions } from './bundle-options';
import { stableJson } from '../_json';

/**
 * The bundle a rollout recorded (`Bundle.revisionData()`), for a cluster still running that revision: a Helm chart or
 * a git path as it was, with the values function of `current` (the code's bundle of that name) when it computed values
 * per cluster. Undefined when it cannot be made: an inline bundle, or computed values without the code's bundle.
 */
export function reviveBundle(data: Readonly<Record<string, unknown>>, current: Bundle | undefined): Bundle | undefined {
  const { kind, name, valuesForCluster, ...options } = data as Record<string, unknown>;
  if (typeof name !== 'string') {
    return undefined;
  }
  let compute: HelmBundleOptions['valuesForCluster'];
  if (valuesForCluster === true) {
    if (!(current instanceof ValuesBundle) || !current.computesValues) {
      return undefined;
    }
    compute = (target) => current.valuesFor(target);
  }
  switch (kind) {
    case BundleKind.HELM:
      return Bundle.helm(name, { ...options, valuesForCluster: compute } as unknown as HelmBundleOptions);
    case BundleKind.GIT:
      return Bundle.git(name, { ...options, valuesForCluster: compute } as unknown as GitBundleOptions);
    default:
      return undefined;
  }
}

/** Whether `bundle` is the bundle `data` records (its revision data is the same). */
export function isRecordedAs(bundle: Bundle, data: Readonly<Record<string, unknown>> | undefined): boolean {
  return data === undefined || stableJson(bundle.revisionData()) === stableJson(data);
}

/**
 * The kind of source a bundle has (`helm`, `helm (OCI)`, `git (kustomize)`...): definitions of one bundle that clusters
 * install side by side during a rollout differ only in the fields of one such source.
 */
export function sourceShape(bundle: Bundle): string {
  if (bundle instanceof HelmBundle) {
    return bundle.isOci ? 'helm (OCI)' : 'helm';
  }
  return bundle instanceof GitBundle ? `git (${bundle.type})` : bundle.kind;
}
