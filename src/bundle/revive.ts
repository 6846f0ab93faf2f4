import { Bundle, BundleKind } from './bundle';
import type { GitBundleOptions, HelmBundleOptions } from './bundle-options';

/**
 * The bundle a definition describes (what `Bundle.definition()` returns for a Helm chart or a git path), or undefined
 * when it is not one: how a cluster still running an earlier revision of its profile installs a bundle the code no
 * longer defines.
 */
export function reviveBundle(definition: Readonly<Record<string, unknown>>): Bundle | undefined {
  const { kind, name, ...options } = definition as Record<string, unknown> & { kind?: unknown; name?: unknown };
  if (typeof name !== 'string') {
    return undefined;
  }
  switch (kind) {
    case BundleKind.HELM:
      return Bundle.helm(name, options as unknown as HelmBundleOptions);
    case BundleKind.GIT:
      return Bundle.git(name, options as unknown as GitBundleOptions);
    default:
      return undefined;
  }
}
