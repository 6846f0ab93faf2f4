/**
 * The clusters an ApplicationSet's list generator names: the library's ApplicationSets list them directly (a shard's
 * clusters) or as the first generator of a matrix (a bundle's). Read back by `arlonctl`, its plan and the benchmark.
 */
export function listedClusters(spec: unknown): string[] {
  type Generator = { list?: { elements?: Array<{ cluster?: unknown }> }; matrix?: { generators?: Generator[] } };
  const generator = (spec as { generators?: Generator[] } | undefined)?.generators?.[0];
  const list = generator?.list ?? generator?.matrix?.generators?.[0]?.list;
  return (list?.elements ?? []).map((e) => e.cluster).filter((c): c is string => typeof c === 'string');
}
