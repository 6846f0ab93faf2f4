import * as fs from 'fs';
import * as path from 'path';
import { ManagementVersions } from './versions';

/** A Kubernetes object as plain data. */
export interface PlainObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Kinds of Argo CD's install that are not namespaced. */
const CLUSTER_SCOPED = new Set(['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Namespace']);

/** The namespace Argo CD's `manifests/install.yaml` is written for: its ClusterRoleBindings name it. */
const UPSTREAM_NAMESPACE = 'argocd';

let cached: readonly PlainObject[] | undefined;

/** The folder of the vendored manifests: `vendor/` at the package root, found from here (sources or `lib/`). */
function vendorDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'vendor');
    if (fs.existsSync(path.join(candidate, 'argo-cd'))) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cdk8s-arlon: the vendored Argo CD manifests are missing (no vendor/argo-cd above ${__dirname}); reinstall the package`);
    }
  }
}

/** The objects of Argo CD's `manifests/install.yaml` at the pinned version, as upstream wrote them (read once). */
export function upstreamArgoCdInstall(): readonly PlainObject[] {
  cached ??= JSON.parse(fs.readFileSync(path.join(vendorDir(), 'argo-cd', ManagementVersions.argoCd, 'install.json'), 'utf8')) as PlainObject[];
  return cached;
}

/**
 * Argo CD's install for `namespace`: namespaced objects in it, and the ClusterRoleBindings' subjects pointing there,
 * as `kubectl apply -n <namespace>` plus the documented subject patch would give. Returns copies.
 */
export function argoCdInstallFor(namespace: string): PlainObject[] {
  return upstreamArgoCdInstall().map((original) => {
    // A JSON copy, not structuredClone: cdk8s' NumberStringUnionResolver rewrites any object whose constructor is not
    // this realm's Object (`{name, value}` env entries lose their name), and structuredClone builds Node's own objects.
    const obj = JSON.parse(JSON.stringify(original)) as PlainObject & { subjects?: Array<{ namespace?: string }> };
    if (!CLUSTER_SCOPED.has(obj.kind)) {
      (obj.metadata as { namespace?: string }).namespace = namespace;
    }
    for (const subject of obj.subjects ?? []) {
      if (subject.namespace === UPSTREAM_NAMESPACE) {
        subject.namespace = namespace;
      }
    }
    return obj;
  });
}
