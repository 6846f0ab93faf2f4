import { Lazy } from 'cdk8s';
import type { Bundle } from '../bundle/bundle';
import type { BundleRegistry } from '../bundle/bundle-registry';
import type * as l1 from '../l1';

/**
 * The AppProject of a cluster's bundle Applications (`<cluster>-bundles`), derived from the bundles it carries:
 * their source repositories, and the namespaces they write to on that cluster only. Bundles install whatever their
 * charts hold (CRDs, cluster roles), so cluster-scoped kinds are allowed; where they may go is not open.
 */
export function bundleAppProjectSpec(cluster: string, bundles: readonly Bundle[], registry: BundleRegistry): l1.ArgoAppProjectSpec {
  return {
    description: `cdk8s-arlon bundles of cluster "${cluster}": ${bundles.map((b) => b.name).join(', ')}`,
    sourceRepos: [...new Set(bundles.map((b) => b.repositoryUrl(registry.repository)))].sort(),
    destinations: Lazy.any({
      produce: () => [...new Set(bundles.flatMap((b) => registry.namespacesOf(b)))].sort().map((namespace) => ({ name: cluster, namespace })),
    }),
    clusterResourceWhitelist: [{ group: '*', kind: '*' }],
  };
}
