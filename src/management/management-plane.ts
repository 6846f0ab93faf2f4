import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { argoCdInstallFor, type PlainObject } from './argo-cd-install';
import { ARGOCD_HEALTH_CHECKS } from './argocd-health-checks';
import { argoCdSizing, type FleetSize } from './argocd-sizing';
import { awsIamConfiguration } from './aws-iam-configuration';
import { CAPA_MANIFEST_GATES, CLUSTER_API_MANIFEST_GATES, effectiveGates, unknownGateProblems } from './feature-gates';
import type { ManagementPlaneOptions } from './plane-options';
import { gateProblems, gateRequirements, gatesToSet, type FleetNeeds, type GateRequirement } from './requirements';
import { ManagementCharts, ManagementNamespaces, ManagementVersions } from './versions';
import { lazyValue } from '../_lazy';
import { checkDnsLabel, checkInteger, problems } from '../_validate';
import { ArgoNames } from '../argocd/names';
import { RETRY, SYNC_WAVE } from '../argocd/sync';
import * as l1 from '../l1';
import { DistFile } from '../output/dist-file';
import { DistLayout, repoPath } from '../output/layout';
import { ManifestChart } from '../output/manifest-chart';

/** What the management plane needs to know of its fleet. */
export interface ManagementPlaneFacts {
  readonly fleetName: string;
  readonly repoUrl: string;
  readonly targetRevision: string;
  /** Path of `dist/` inside the repository. */
  readonly distPath: string;
  readonly argocdNamespace: string;
  readonly managementClusterName: string;
  /** `management.capaFeatureGates.eksEnableIam`. */
  readonly eksEnableIam: boolean;
  /** The fleet's size, read at synth. */
  readonly size: () => FleetSize;
}

/** The components of the management plane, in the order `arlonctl bootstrap` brings them up (Argo CD first). */
export const MANAGEMENT_COMPONENTS = ['cert-manager', 'cluster-api-operator', 'providers', 'argo-cd'] as const;
export type ManagementComponent = typeof MANAGEMENT_COMPONENTS[number];

/** Argo CD's application controller: its StatefulSet and its container. */
const APPLICATION_CONTROLLER = 'argocd-application-controller';

/**
 * Emits the management plane into `dist/management/` (see `DistLayout`): Argo CD's install with the fleet's settings,
 * the Applications that install cert-manager, cluster-api-operator and the providers and keep Argo CD itself in sync,
 * and clusterawsadm's configuration. Gates and IAM settings are derived from the objects the fleet emits, read at
 * synth, so the plane always matches its output; a gate the fleet relies on but the settings turn off fails synth.
 */
export class ManagementPlane extends Construct {
  private readonly requirements: () => GateRequirement[];

  constructor(scope: Construct, id: string, private readonly facts: ManagementPlaneFacts, private readonly options: ManagementPlaneOptions) {
    super(scope, id);
    let needs: FleetNeeds | undefined;
    const fleetNeeds = (): FleetNeeds => (needs ??= { kinds: emittedKinds(this.node.root, this), eksEnableIam: facts.eksEnableIam });
    this.requirements = () => gateRequirements(fleetNeeds());

    this.argoCd();
    this.applications();
    this.providers();
    new DistFile(this, 'AwsIamConfiguration', { path: DistLayout.awsIamConfigurationFile, data: () => awsIamConfiguration(fleetNeeds()) });
    this.node.addValidation({ validate: () => this.problems() });
  }

  /** The CAPA variables Secret `arlonctl bootstrap` writes (never in `dist/`). */
  public get capaVariablesSecret(): string {
    return this.options.capaVariablesSecret ?? 'capa-variables';
  }

  private problems(): string[] {
    const requirements = this.requirements();
    const { clusterApiFeatureGates, capaFeatureGates, capaVariablesSecret, argoCd } = this.options;
    return problems(
      unknownGateProblems('clusterApiFeatureGates', CLUSTER_API_MANIFEST_GATES, clusterApiFeatureGates),
      unknownGateProblems('capaFeatureGates', CAPA_MANIFEST_GATES, capaFeatureGates),
      gateProblems(requirements, {
        clusterApi: effectiveGates(CLUSTER_API_MANIFEST_GATES, gatesToSet('clusterApi', requirements, clusterApiFeatureGates)),
        capa: effectiveGates(CAPA_MANIFEST_GATES, gatesToSet('capa', requirements, capaFeatureGates)),
      }),
      capaVariablesSecret === undefined ? undefined : checkDnsLabel('`managementPlane.capaVariablesSecret`', capaVariablesSecret, 253),
      argoCd?.controllerReplicas === undefined ? undefined : checkInteger('`managementPlane.argoCd.controllerReplicas`', argoCd.controllerReplicas, 1, 100),
    );
  }

  private argoCd(): void {
    const chart = new ManifestChart(this, 'ArgoCd', { folder: DistLayout.managementArgoCdDir });
    const namespace = this.facts.argocdNamespace;
    new ApiObject(chart, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    const sizing = lazyOnce(() => argoCdSizing(this.facts.size(), this.options.argoCd?.controllerReplicas));
    for (const upstream of argoCdInstallFor(namespace)) {
      const obj = customized(upstream, sizing);
      new ApiObject(chart, `${obj.kind}-${obj.metadata.name}`, obj as unknown as ConstructorParameters<typeof ApiObject>[2]);
    }
  }

  private applications(): void {
    const chart = new ManifestChart(this, 'Applications', { folder: DistLayout.managementApplicationsDir });
    const { fleetName, argocdNamespace, managementClusterName, repoUrl } = this.facts;
    const namespaces = [argocdNamespace, ...Object.values(ManagementNamespaces)].sort();
    new l1.ArgoAppProject(chart, 'Project', {
      metadata: { name: ArgoNames.managementProject(fleetName), namespace: argocdNamespace },
      spec: {
        description: `cdk8s-arlon fleet "${fleetName}": the management plane (cert-manager, cluster-api-operator, Cluster API, CAPA, Argo CD)`,
        sourceRepos: [repoUrl, ManagementCharts.certManager.repoUrl, ManagementCharts.clusterApiOperator.repoUrl],
        destinations: namespaces.map((namespace) => ({ name: managementClusterName, namespace })),
        // What the charts and Argo CD's install create outside a namespace: CRDs, cluster roles, webhooks, namespaces.
        clusterResourceWhitelist: [
          { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
          { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
          { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
          { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
          { group: '', kind: 'Namespace' },
        ],
      },
    });
    MANAGEMENT_COMPONENTS.forEach((component, wave) => {
      new l1.ArgoApplication(chart, component, {
        metadata: {
          name: ArgoNames.managementApplication(fleetName, component),
          namespace: argocdNamespace,
          annotations: { [SYNC_WAVE]: String(wave + 1) },
          // No resources finalizer: deleting an Application of the management plane never deletes what it installed.
        },
        spec: {
          project: ArgoNames.managementProject(fleetName),
          ...this.source(component),
          destination: { name: managementClusterName, namespace: this.namespaceOf(component) },
          // No prune: a CRD dropped by an upgrade would take every object of its kind (every Cluster) with it.
          // Server-side apply: Argo CD's and the providers' CRDs are larger than a client-side apply annotation.
          syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'], retry: RETRY },
        },
      });
    });
  }

  private namespaceOf(component: ManagementComponent): string {
    switch (component) {
      case 'cert-manager': return ManagementNamespaces.certManager;
      case 'cluster-api-operator': return ManagementNamespaces.clusterApiOperator;
      case 'providers': return ManagementNamespaces.clusterApi;
      case 'argo-cd': return this.facts.argocdNamespace;
    }
  }

  private source(component: ManagementComponent): Pick<l1.ArgoApplicationSpec, 'source'> {
    const dir = (inside: string) => ({
      source: { repoUrl: this.facts.repoUrl, targetRevision: this.facts.targetRevision, path: repoPath(this.facts.distPath, inside) },
    });
    switch (component) {
      case 'cert-manager': return {
        source: {
          ...ManagementCharts.certManager,
          targetRevision: ManagementVersions.certManager,
          // The chart installs its CRDs only when asked; leader election stays in cert-manager's namespace (the chart's
          // default is kube-system, which the project does not admit).
          helm: { releaseName: 'cert-manager', valuesObject: { crds: { enabled: true }, global: { leaderElection: { namespace: ManagementNamespaces.certManager } } } },
        },
      };
      case 'cluster-api-operator': return {
        source: {
          ...ManagementCharts.clusterApiOperator,
          targetRevision: ManagementVersions.clusterApiOperator,
          helm: { releaseName: 'capi-operator' },
        },
      };
      case 'providers': return dir(DistLayout.managementProvidersDir);
      case 'argo-cd': return dir(DistLayout.managementArgoCdDir);
    }
  }

  private providers(): void {
    const chart = new ManifestChart(this, 'Providers', { folder: DistLayout.managementProvidersDir });
    for (const namespace of [ManagementNamespaces.clusterApi, ManagementNamespaces.capa]) {
      new ApiObject(chart, `Namespace-${namespace}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    }
    new l1.CoreProvider(chart, 'ClusterApi', {
      metadata: { name: 'cluster-api', namespace: ManagementNamespaces.clusterApi },
      spec: {
        version: ManagementVersions.clusterApi,
        manager: { featureGates: lazyValue(() => gatesToSet('clusterApi', this.requirements(), this.options.clusterApiFeatureGates)) },
      },
    });
    new l1.InfrastructureProvider(chart, 'Capa', {
      metadata: { name: 'aws', namespace: ManagementNamespaces.capa },
      spec: {
        version: ManagementVersions.capa,
        configSecret: { name: this.capaVariablesSecret, namespace: ManagementNamespaces.capa },
        manager: { featureGates: lazyValue(() => gatesToSet('capa', this.requirements(), this.options.capaFeatureGates)) },
      },
    });
  }
}

/** Kinds of every object under `root` outside `except`, read once at synth. */
function emittedKinds(root: Construct, except: Construct): Set<string> {
  const kinds = new Set<string>();
  for (const construct of root.node.findAll()) {
    if (construct instanceof ApiObject && !construct.node.path.startsWith(except.node.path)) {
      kinds.add(construct.kind);
    }
  }
  return kinds;
}

function lazyOnce<T>(produce: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= produce());
}

/**
 * Argo CD's object with the fleet's settings: the health checks Argo CD lacks for what the fleet emits merged into
 * `argocd-cm`, the sizing in `argocd-cmd-params-cm`, and the application controller's replicas, which the controller
 * also reads from `ARGOCD_CONTROLLER_REPLICAS` to compute its shard (`controller/sharding/sharding.go`).
 */
function customized(obj: PlainObject, sizing: () => ReturnType<typeof argoCdSizing>): PlainObject {
  if (obj.kind === 'ConfigMap' && obj.metadata.name === 'argocd-cm') {
    return { ...obj, data: lazyValue(() => ({ ...(obj.data as Record<string, string> | undefined), ...ARGOCD_HEALTH_CHECKS })) };
  }
  if (obj.kind === 'ConfigMap' && obj.metadata.name === 'argocd-cmd-params-cm') {
    return { ...obj, data: lazyValue(() => ({ ...(obj.data as Record<string, string> | undefined), ...sizing().params })) };
  }
  if (obj.kind === 'Deployment' && obj.metadata.name === 'argocd-repo-server') {
    // Upstream leaves `replicas` unset (one); a larger fleet gets Argo CD's HA count.
    const replicas = () => sizing().repoServerReplicas;
    return { ...obj, spec: lazyValue(() => (replicas() > 1 ? { ...(obj.spec as object), replicas: replicas() } : obj.spec)) };
  }
  if (obj.kind === 'StatefulSet' && obj.metadata.name === APPLICATION_CONTROLLER) {
    const spec = obj.spec as { template: { spec: { containers: Array<{ name: string; env?: Array<{ name: string; value?: string }> }> } } };
    return {
      ...obj,
      spec: lazyValue(() => {
        const replicas = sizing().controllerReplicas;
        const containers = spec.template.spec.containers.map((c) => c.name !== APPLICATION_CONTROLLER ? c
          : { ...c, env: (c.env ?? []).map((e) => (e.name === 'ARGOCD_CONTROLLER_REPLICAS' ? { name: e.name, value: String(replicas) } : e)) });
        return { ...spec, replicas, template: { ...spec.template, spec: { ...spec.template.spec, containers } } };
      }),
    };
  }
  return obj;
}
