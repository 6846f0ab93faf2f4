import type { Fleet } from '../fleet/fleet';
import type { KubeObject } from '../kube/types';
import { readDistFiles, type DistBundle, type DistCluster, type DistFleet } from '../operations/dist-fleet';
import { DistLayout } from '../output/layout';
import { Warnings, type FleetWarning } from '../warnings';

/**
 * A fleet synthesized in memory, read back the way `arlonctl` and Argo CD read `dist/`: for tests in a fleet
 * repository. Nothing is written to disk.
 *
 * @example
 *   const synthesized = FleetTesting.synth(buildFleet());
 *   expect(synthesized.clustersWithBundle('wordpress')).toEqual(['dev-euw1', 'dev-use1']);
 *   expect(synthesized.controlPlaneVersion('prod-use1')).toBe('v1.33');
 *   expect(synthesized.snapshot()).toMatchSnapshot();
 */
export class SynthesizedFleet {
  /** Every file of `dist/`, by path inside it, as the synth writes it. */
  public readonly files: ReadonlyMap<string, string>;
  /**
   * The warnings the synth prints (see `Warnings`): valid but suspicious input, such as an instance type accepted
   * through `unlistedInstanceTypes`, each with the path of its construct, in construct tree order.
   */
  public readonly warnings: readonly FleetWarning[];
  private readonly read: DistFleet;

  /** @internal */
  constructor(files: ReadonlyMap<string, string>, where: string, warnings: readonly FleetWarning[] = []) {
    this.files = files;
    this.warnings = warnings;
    this.read = readDistFiles(files, where);
  }

  /** The warnings' messages about the construct at `path` (e.g. `prod-use1`, `Spec`), or about every construct when it is left out. */
  public warningsAt(path?: string): string[] {
    return this.warnings.filter((w) => path === undefined || w.path === path).map((w) => w.message);
  }

  /** The fleet's clusters (external ones included), by name. */
  public get clusters(): readonly DistCluster[] {
    return this.read.clusters;
  }

  /** The fleet's bundles, by name. */
  public get bundles(): readonly DistBundle[] {
    return this.read.bundles;
  }

  /** One cluster: its profiles, labels, region, versions, node pools and bundles. */
  public cluster(name: string): DistCluster {
    return this.named('cluster', this.read.clusters, name);
  }

  /** One bundle: its source, version, namespace, the clusters it goes to and their own values. */
  public bundle(name: string): DistBundle {
    return this.named('bundle', this.read.bundles, name);
  }

  /** The clusters Argo CD installs `bundle` on: those its ApplicationSets generate an Application for, sorted. */
  public clustersWithBundle(bundle: string): string[] {
    return [...this.bundle(bundle).clusters];
  }

  /** The Kubernetes version the cluster's control plane asks EKS for (e.g. `v1.33`); undefined for an external cluster. */
  public controlPlaneVersion(cluster: string): string | undefined {
    return this.cluster(cluster).kubernetesVersion;
  }

  /** The objects of one folder of `dist/` (e.g. `clusters/dev-use1`, `argocd`), sorted by file. */
  public objectsIn(folder: string): KubeObject[] {
    return [...this.read.objects].filter(([file]) => file.slice(0, file.lastIndexOf('/')) === folder)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, obj]) => obj);
  }

  /** The objects Cluster API reads for one cluster (its folder of `dist/`). */
  public clusterObjects(cluster: string): KubeObject[] {
    this.cluster(cluster);
    return this.objectsIn(DistLayout.clusterDir(cluster));
  }

  /** The one object of `kind` named `name` anywhere in `dist/`. */
  public object(kind: string, name: string): KubeObject {
    const found = [...this.read.objects.values()].filter((o) => o.kind === kind && o.metadata.name === name);
    if (found.length !== 1) {
      throw new Error(`${found.length === 0 ? 'no' : found.length} ${kind} named "${name}" in the synthesized fleet; `
        + `${kind}s there: ${[...this.read.objects.values()].filter((o) => o.kind === kind).map((o) => o.metadata.name).sort().join(', ') || 'none'}`);
    }
    return found[0];
  }

  /** The files as one plain object with sorted keys, for a snapshot test (`expect(...).toMatchSnapshot()`). */
  public snapshot(): Record<string, string> {
    return Object.fromEntries([...this.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private named<T extends { readonly name: string }>(what: string, all: readonly T[], name: string): T {
    const found = all.find((item) => item.name === name);
    if (found === undefined) {
      throw new Error(`no ${what} named "${name}" in the synthesized fleet; its ${what}s: ${all.map((item) => item.name).join(', ') || 'none'}`);
    }
    return found;
  }
}

/** Test helpers for fleets, in the manner of cdk8s' `Testing`. */
export class FleetTesting {
  /**
   * Synthesizes `fleet` in memory, running every validation a synth runs (a fleet that would not synthesize throws the
   * same error), and reads the result back.
   */
  public static synth(fleet: Fleet): SynthesizedFleet {
    const files = fleet.renderFiles();
    return new SynthesizedFleet(files, `the synthesized fleet "${fleet.name}"`, Warnings.collect(fleet));
  }

  /**
   * The warnings synthesizing `fleet` prints (see `Warnings`), after running every validation a synth runs; nothing is
   * written. The same as `FleetTesting.synth(fleet).warnings`, without reading the output back.
   */
  public static warnings(fleet: Fleet): FleetWarning[] {
    fleet.renderFiles();
    return Warnings.collect(fleet);
  }
}
