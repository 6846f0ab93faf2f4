/**
 * The clusters an ApplicationSet's list generators name. The library's ApplicationSets list them directly: a shard's
 * clusters, a bundle's fleet clusters; a bundle's external clusters are the first generator of a matrix whose second
 * is Argo CD's cluster generator (what gates them on `arlonctl register`), beside the list of the others. Earlier
 * releases wrote every bundle's clusters as such a matrix. Read back by `arlonctl`, its plan and the benchmark.
 */

/** One list of clusters among an ApplicationSet's generators, and the cluster generator that gates it, if any. */
export interface ListedGenerator {
  readonly elements: ReadonlyArray<Record<string, unknown>>;
  /** The cluster generator of the matrix the list is the first generator of (its selector not rendered). */
  readonly clusters?: { readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> } };
}

type Generator = { list?: { elements?: Array<Record<string, unknown>> }; matrix?: { generators?: Generator[] }; clusters?: ListedGenerator['clusters'] };

/** Each top-level generator that is a list, or a matrix of a list and the cluster generator, in order. */
export function listedGenerators(spec: unknown): ListedGenerator[] {
  const generators = (spec as { generators?: Generator[] } | undefined)?.generators ?? [];
  return generators.flatMap((generator): ListedGenerator[] => {
    if (generator.list !== undefined) {
      return [{ elements: generator.list.elements ?? [] }];
    }
    const [first, second] = generator.matrix?.generators ?? [];
    return first?.list === undefined ? [] : [{ elements: first.list.elements ?? [], clusters: second?.clusters }];
  });
}

/** The clusters those lists name, in order. */
export function listedClusters(spec: unknown): string[] {
  return listElements(spec).map((e) => e.cluster).filter((c): c is string => typeof c === 'string');
}

/** The elements of those lists: each cluster, with the parameters of its own (see `BundleApplicationSet`). */
export function listElements(spec: unknown): Array<Record<string, unknown>> {
  return listedGenerators(spec).flatMap((generator) => generator.elements);
}
