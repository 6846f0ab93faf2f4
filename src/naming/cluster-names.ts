/**
 * How the names a cluster goes by outside the fleet repository are formed: its namespace and Cluster API objects on
 * the management cluster, its EKS cluster, its Argo CD cluster name and its Applications. Those names share spaces
 * with other fleets (one Argo CD, one management cluster, one AWS account and region), so by default each starts
 * with the fleet's name.
 */
export enum ClusterNaming {
  /**
   * `<fleet>--<cluster>` for the namespace, the Cluster API `Cluster`, the EKS cluster, the Argo CD cluster name and
   * the cluster's Application; `<fleet>--<cluster>--<bundle>` for its bundle Applications. Fleet names cannot hold
   * `--`, so no two fleets produce the same name, whatever their clusters are called.
   */
  FLEET_SCOPED = 'fleet-scoped',
  /**
   * The cluster's name alone (`<cluster>`, and `<cluster>-<bundle>` for bundle Applications), as cdk8s-arlon named
   * every cluster before fleet-scoped names: keeps a cluster deployed then under the names it runs with. Two fleets
   * with a cluster of the same name would then share its namespace, EKS cluster and Applications.
   */
  UNSCOPED = 'unscoped',
}

/** The names a fleet cluster goes by outside the fleet repository. */
export interface ClusterNames {
  /**
   * The name of its namespace on the management cluster, of its Cluster API `Cluster` and `AWSManagedCluster` (its
   * other objects are named after it: `<base>-control-plane`, `<base>-<pool>`), of the Argo CD cluster
   * `arlonctl register` writes for it, and of its Application.
   */
  readonly base: string;
  /** The name of its EKS cluster in AWS. */
  readonly eksCluster: string;
}

/** What joins a fleet's, a cluster's and a bundle's names: none of them may contain it, so a joined name has one reading. */
export const NAME_SEPARATOR = '--';

/** Namespaces and Cluster API cluster names (a label value) hold at most 63 characters. */
export const MAX_CLUSTER_BASE_NAME = 63;

/**
 * The name of a fleet cluster's namespace, Cluster API `Cluster` and `AWSManagedCluster`, its Argo CD cluster name
 * and its Application; its other objects are named after it (`<base>-control-plane`, `<base>-<pool>`).
 */
export function clusterBaseName(fleet: string, cluster: string, naming: ClusterNaming): string {
  return naming === ClusterNaming.UNSCOPED ? cluster : `${fleet}${NAME_SEPARATOR}${cluster}`;
}

/** The name of the Application that installs `bundle` on `cluster` (a fleet or an external cluster). */
export function bundleApplicationName(fleet: string, cluster: string, bundle: string, naming: ClusterNaming): string {
  return naming === ClusterNaming.UNSCOPED ? `${cluster}-${bundle}` : `${fleet}${NAME_SEPARATOR}${cluster}${NAME_SEPARATOR}${bundle}`;
}

/** Why `name` (what it names: "cluster `name`", "bundle `name`", ...) cannot take part in joined names, or undefined. */
export function separatorProblem(what: string, name: string): string | undefined {
  return name.includes(NAME_SEPARATOR)
    ? `${what} "${name}" contains "${NAME_SEPARATOR}", which the library puts between the fleet's, the cluster's and the bundle's names `
      + `(e.g. "acme${NAME_SEPARATOR}prod-1"), so that a joined name has one reading; use single hyphens`
    : undefined;
}

/** Why `value` (given as `what`) is not a `ClusterNaming`, or undefined. */
export function namingProblem(what: string, value: unknown): string | undefined {
  const allowed = Object.values(ClusterNaming) as unknown[];
  return allowed.includes(value) ? undefined
    : `${what} ${JSON.stringify(value)} is not a cluster naming; use ClusterNaming.FLEET_SCOPED or ClusterNaming.UNSCOPED`;
}
