/**
 * The clusters an ApplicationSet's list generator names: the library's ApplicationSets list them directly (a shard's
 * clusters) or as the first generator of a matrix (a bundle's). Read back by `arlonctl`, its plan and the benchmark.
 */
export function listedClusters(spec: unknown): string[] {
  return listElements(spec).map((e) => e.cluster).filter((c): c is string => typeof c === 'string');
}

/** The elements of that list generator: each cluster, with the parameters of its own (see `BundleApplicationSet`). */
export function listElements(spec: unknown): Array<Record<string, unknown>> {
  type Generator = { list?: { elements?: Array<Record<string, unknown>> }; matrix?: { generators?: Generator[] } };
  const generator = (spec as { generators?: Generator[] } | undefined)?.generators?.[0];
  const list = generator?.list ?? generator?.matrix?.generators?.[0]?.list;
  return list?.elements ?? [];
}
