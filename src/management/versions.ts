/**
 * The versions of the management plane, each a fact with its upstream source. The CRDs the library's bindings come
 * from are of the same releases (`crds/SOURCES.md`), so the objects it emits are the ones these controllers serve.
 */
export const ManagementVersions = {
  /** kubernetes-sigs/cluster-api v1.14.0: core provider "cluster-api", contract v1beta2 (metadata.yaml). */
  clusterApi: 'v1.14.0',
  /** kubernetes-sigs/cluster-api-provider-aws v2.11.1: infrastructure provider "aws", contract v1beta1 (metadata.yaml). */
  capa: 'v2.11.1',
  /** argoproj/argo-cd v3.5.1: `manifests/install.yaml` at 109ca7ca, vendored in `vendor/argo-cd/v3.5.1/`. */
  argoCd: 'v3.5.1',
  /**
   * cert-manager, as clusterctl v1.14.0 installs it: `CertManagerDefaultVersion` in
   * cluster-api `cmd/clusterctl/client/config/cert_manager_client.go` at v1.14.0.
   */
  certManager: 'v1.21.1',
  /**
   * kubernetes-sigs/cluster-api-operator v0.28.0 (its Helm chart's version has no `v`). It accepts providers of
   * contract v1beta1 and v1beta2 (`validateRepoCAPIVersion`, `internal/controller/phase_load.go`).
   */
  clusterApiOperator: '0.28.0',
} as const;

/** Where the Helm charts of the management plane come from. */
export const ManagementCharts = {
  /** https://cert-manager.io/docs/installation/helm/ */
  certManager: { repoUrl: 'https://charts.jetstack.io', chart: 'cert-manager' },
  /** The chart published by cluster-api-operator's release workflow (`hack/charts/cluster-api-operator`). */
  clusterApiOperator: { repoUrl: 'https://kubernetes-sigs.github.io/cluster-api-operator', chart: 'cluster-api-operator' },
} as const;

/** Namespaces the management plane installs into. */
export const ManagementNamespaces = {
  certManager: 'cert-manager',
  clusterApiOperator: 'capi-operator-system',
  /** clusterctl's default for the core provider (`capi-system`), kept so existing runbooks apply. */
  clusterApi: 'capi-system',
  /** clusterctl's default for CAPA (`capa-system`). */
  capa: 'capa-system',
} as const;
