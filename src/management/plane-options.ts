/** Argo CD settings of the management plane. */
export interface ManagementArgoCdOptions {
  /**
   * Replicas of the application controller. Argo CD shards Applications by destination cluster, and every cluster
   * Application of the fleet targets the management cluster, so more replicas spread the bundle Applications only.
   *
   * @default - derived from the fleet's size (see the README, "The management plane")
   */
  readonly controllerReplicas?: number;
}

/**
 * The management plane a fleet installs on its management cluster and then manages from `dist/` like everything else:
 * cert-manager, Cluster API and CAPA (through cluster-api-operator) with the feature gates the fleet's objects need,
 * and Argo CD sized for the fleet with health checks for what the fleet emits. `arlonctl bootstrap` applies it to a
 * bare cluster; `arlonctl bootstrap --print-settings` prints what a hand-run management cluster must match.
 */
export interface ManagementPlaneOptions {
  /**
   * Whether the fleet installs and manages the management plane. With `false`, `dist/management/` only describes the
   * management plane the fleet needs (for `arlonctl bootstrap --print-settings` and clusterawsadm's configuration) and
   * nothing applies it: for a management cluster run by other means.
   *
   * @default true
   */
  readonly managed?: boolean;
  /**
   * Cluster API feature gates to set besides those the fleet needs (which are always set). A gate the fleet needs
   * cannot be turned off here: synth fails, naming the objects that need it.
   *
   * @default - none
   */
  readonly clusterApiFeatureGates?: Readonly<Record<string, boolean>>;
  /**
   * CAPA feature gates to set besides those the fleet needs (MachinePool for node pools, EKSEnableIAM when
   * `management.capaFeatureGates.eksEnableIam` says so). A gate the fleet needs cannot be turned off here.
   *
   * @default - none
   */
  readonly capaFeatureGates?: Readonly<Record<string, boolean>>;
  /**
   * Name of the Secret in `capa-system` that holds CAPA's variables, among them `AWS_B64ENCODED_CREDENTIALS` (what
   * `clusterawsadm bootstrap credentials encode-as-profile` prints). `arlonctl bootstrap` writes it from the
   * environment; it never reaches `dist/`.
   *
   * @default 'capa-variables'
   */
  readonly capaVariablesSecret?: string;
  /**
   * Argo CD settings.
   *
   * @default - sized from the fleet
   */
  readonly argoCd?: ManagementArgoCdOptions;
}
