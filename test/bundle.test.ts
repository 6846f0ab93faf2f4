import * as kplus from 'cdk8s-plus-28';
import {
  Bundle, Bundles, Cluster, EksClusterSpec, ExternalCluster, GitSourceType, KubernetesVersion, Profile, PRESET_VERSIONS,
  type Fleet,
} from '../src';
import { CrdSchemas, type KubeObject } from './support/crd-schemas';
import { minimalSpecProps, TEST_MANAGEMENT, testFleet } from './support/fixtures';
import { findObject, parseFiles } from './support/fleet-files';

const schemas = new CrdSchemas();

interface AppSetSpec {
  generators: Array<{ list: { elements: Array<{ cluster: string; values?: Record<string, unknown> }> } }>;
  template: { metadata: Record<string, unknown>; spec: Record<string, unknown> & { source: Record<string, unknown> } };
  templatePatch?: string;
}
const appSet = (objects: Map<string, KubeObject>, name: string) => findObject(objects, 'ApplicationSet', name).spec as unknown as AppSetSpec;
const elements = (objects: Map<string, KubeObject>, name: string) => appSet(objects, name).generators[0].list.elements;

const wordpress = () => Bundle.helm('wordpress', {
  repoUrl: 'https://charts.example.com/stable',
  chart: 'wordpress',
  version: '28.1.5',
  namespace: 'blog',
  values: { service: { type: 'ClusterIP' }, ingress: { enabled: true } },
});

/** A fleet with a "dev" spec profile carrying `bundles`, and `clusters` dev clusters. */
function devFleet(bundles: Bundle[], clusters = ['dev-a']): { fleet: Fleet; dev: Profile } {
  const fleet = testFleet();
  const dev = new Profile(fleet, 'dev', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles });
  for (const name of clusters) {
    new Cluster(fleet, name, { profiles: [dev] });
  }
  return { fleet, dev };
}

const render = (fleet: Fleet) => parseFiles(fleet.renderFiles());

describe('Helm bundles', () => {
  test('install a chart from an HTTP repository, pinned, with structured values', () => {
    const objects = render(devFleet([wordpress()]).fleet);
    expect(appSet(objects, 'wordpress').template.spec.source).toEqual({
      repoURL: 'https://charts.example.com/stable',
      chart: 'wordpress',
      targetRevision: '28.1.5',
      helm: { releaseName: 'wordpress', valuesObject: { ingress: { enabled: true }, service: { type: 'ClusterIP' } } },
    });
  });

  test('install a chart from an OCI registry through Argo CD\'s native OCI source', () => {
    const bundle = Bundle.helm('podinfo', { repoUrl: 'oci://ghcr.io/stefanprodan/charts/', chart: 'podinfo', version: '6.7.1', namespace: 'podinfo' });
    const objects = render(devFleet([bundle]).fleet);
    expect(appSet(objects, 'podinfo').template.spec.source).toEqual({
      repoURL: 'oci://ghcr.io/stefanprodan/charts/podinfo', path: '.', targetRevision: '6.7.1', helm: { releaseName: 'podinfo' },
    });
    expect((findObject(objects, 'AppProject', 'dev-a-bundles').spec as { sourceRepos: string[] }).sourceRepos)
      .toEqual(['oci://ghcr.io/stefanprodan/charts/podinfo']);
  });
});

describe('git bundles', () => {
  test.each([
    [GitSourceType.DIRECTORY, { directory: { recurse: true } }],
    [GitSourceType.KUSTOMIZE, { kustomize: {} }],
    [GitSourceType.HELM, { helm: { releaseName: 'addons', valuesObject: { a: 1 } } }],
  ])('render a %s path at a pinned revision', (type, rendering) => {
    const bundle = Bundle.git('addons', {
      repoUrl: 'https://github.com/acme/addons.git',
      revision: 'v1.2.0',
      path: './deploy/addons/',
      type,
      namespace: 'addons',
      recurse: type === GitSourceType.DIRECTORY ? true : undefined,
      values: type === GitSourceType.HELM ? { a: 1 } : undefined,
    });
    const spec = appSet(render(devFleet([bundle]).fleet), 'addons');
    expect(spec.template.spec.source).toEqual({
      repoURL: 'https://github.com/acme/addons.git', targetRevision: 'v1.2.0', path: 'deploy/addons', ...rendering,
    });
    // No cluster has values of its own, so there is nothing to patch in.
    expect(spec.templatePatch).toBeUndefined();
  });

  test('a Helm chart in git takes per-cluster values', () => {
    const bundle = Bundle.git('addons', {
      repoUrl: 'https://github.com/acme/addons.git', revision: 'v1.2.0', path: 'chart', type: GitSourceType.HELM, namespace: 'addons',
    });
    const fleet = testFleet();
    const dev = new Profile(fleet, 'dev', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [bundle] });
    new Cluster(fleet, 'dev-a', { profiles: [dev], bundleValues: { addons: { replicas: 2 } } });
    const spec = appSet(render(fleet), 'addons');
    expect(spec.generators[0].list.elements).toEqual([{ cluster: 'dev-a', values: { replicas: 2 } }]);
    expect(spec.templatePatch).toBe('spec:\n  source:\n    helm:\n      valuesObject: {{ toJson .values }}\n');
  });
});

describe('inline bundles', () => {
  const baseline = () => Bundle.inline('baseline', {
    namespace: 'apps',
    define: (scope) => {
      new kplus.ServiceAccount(scope, 'Deployer', { metadata: { name: 'deployer' } });
      new kplus.ConfigMap(scope, 'Settings', { metadata: { name: 'settings', namespace: 'shared' }, data: { tier: 'gold' } });
    },
  });

  test('are rendered once into dist/bundles/<name> and served from the fleet repository', () => {
    const { fleet } = devFleet([baseline()], ['dev-a', 'dev-b']);
    const files = fleet.renderFiles();
    expect([...files.keys()].filter((f) => f.startsWith('bundles/')).sort()).toEqual([
      'bundles/baseline/ConfigMap.settings.yaml', 'bundles/baseline/ServiceAccount.deployer.yaml',
    ]);
    const objects = parseFiles(files);
    expect(appSet(objects, 'baseline').template.spec.source).toEqual({
      repoURL: 'https://git.example.com/platform/fleet.git', targetRevision: 'main', path: 'dist/bundles/baseline', directory: { recurse: false },
    });
    expect(elements(objects, 'baseline')).toEqual([{ cluster: 'dev-a' }, { cluster: 'dev-b' }]);
  });

  test('add the namespaces their objects use to the clusters\' bundle projects', () => {
    const objects = render(devFleet([baseline()]).fleet);
    expect((findObject(objects, 'AppProject', 'dev-a-bundles').spec as { destinations: unknown[] }).destinations).toEqual([
      { name: 'dev-a', namespace: 'apps' }, { name: 'dev-a', namespace: 'shared' },
    ]);
  });
});

describe('the ApplicationSet of a bundle', () => {
  test('makes one Application per cluster, targeting the cluster by name, pruning, self-healing, creating the namespace', () => {
    const objects = render(devFleet([wordpress()], ['dev-b', 'dev-a']).fleet);
    const spec = appSet(objects, 'wordpress');
    expect(elements(objects, 'wordpress').map((e) => e.cluster)).toEqual(['dev-a', 'dev-b']);
    expect(spec.template.metadata).toEqual({
      name: '{{.cluster}}-wordpress',
      namespace: 'argocd',
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s-arlon', 'arlon.io/fleet': 'test', 'arlon.io/bundle': 'wordpress', 'arlon.io/cluster': '{{.cluster}}' },
    });
    expect(spec.template.spec).toMatchObject({
      project: '{{.cluster}}-bundles',
      destination: { name: '{{.cluster}}', namespace: 'blog' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    });
    expect(findObject(objects, 'ApplicationSet', 'wordpress').spec).toMatchObject({ goTemplate: true, goTemplateOptions: ['missingkey=error'] });
  });

  test('takes the bundle\'s sync settings', () => {
    const bundle = Bundle.helm('quiet', {
      repoUrl: 'https://charts.example.com',
      chart: 'quiet',
      version: '1.0.0',
      namespace: 'kube-system',
      createNamespace: false,
      prune: false,
      selfHeal: false,
      syncOptions: ['ServerSideApply=true'],
      description: 'quiet things',
    });
    const spec = appSet(render(devFleet([bundle]).fleet), 'quiet').template.spec;
    expect(spec.syncPolicy).toEqual({ automated: { prune: false, selfHeal: false }, syncOptions: ['ServerSideApply=true'] });
    expect(spec.info).toEqual([{ name: 'Description', value: 'quiet things' }]);
  });

  test('merges per-cluster values into helm.valuesObject with a templatePatch', () => {
    const { fleet, dev } = devFleet([wordpress()]);
    new Cluster(fleet, 'dev-b', { profiles: [dev], bundleValues: { wordpress: { ingress: { hostname: 'b.example.com' } } } });
    const spec = appSet(render(fleet), 'wordpress');
    expect(spec.templatePatch).toBe('spec:\n  source:\n    helm:\n      valuesObject: {{ toJson .values }}\n');
    // missingkey=error: once one element has values, every element carries them.
    expect(spec.generators[0].list.elements).toEqual([
      { cluster: 'dev-a', values: {} },
      { cluster: 'dev-b', values: { ingress: { hostname: 'b.example.com' } } },
    ]);
  });

  test('without per-cluster values, the elements carry only cluster names and there is no patch', () => {
    const spec = appSet(render(devFleet([wordpress()], ['dev-a', 'dev-b']).fleet), 'wordpress');
    expect(spec.generators[0].list.elements).toEqual([{ cluster: 'dev-a' }, { cluster: 'dev-b' }]);
    expect(spec.templatePatch).toBeUndefined();
  });

  test('matches the snapshot', () => {
    const fleet = testFleet();
    const dev = new Profile(fleet, 'dev', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [wordpress()] });
    new Cluster(fleet, 'dev-a', { profiles: [dev], bundleValues: { wordpress: { ingress: { hostname: 'a.example.com' } } } });
    expect(fleet.renderFiles().get('argocd/bundles/wordpress/ApplicationSet.wordpress.yaml')).toMatchSnapshot();
  });
});

describe('which bundles a cluster gets', () => {
  test('the union of its profiles\' bundles, each once, plus its own, minus its exclusions', () => {
    // GIVEN two profiles sharing metrics-server, and a cluster adding one bundle and dropping another
    const fleet = testFleet();
    const metrics = Bundles.metricsServer();
    const dev = new Profile(fleet, 'dev', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [metrics, wordpress()] });
    const ops = new Profile(fleet, 'ops', { bundles: [Bundles.metricsServer(), Bundle.helm('loki', { repoUrl: 'https://grafana.github.io/helm-charts', chart: 'loki', version: '6.30.1', namespace: 'logging' })] });
    const extra = Bundle.git('extra', { repoUrl: 'https://github.com/acme/extra.git', revision: 'v1.0.0', path: '.', namespace: 'extra' });
    const cluster = new Cluster(fleet, 'alpha', { profiles: [dev, ops], bundles: [extra], excludeBundles: ['loki'] });
    // THEN
    expect(cluster.bundles.map((b) => b.name)).toEqual(['extra', 'metrics-server', 'wordpress']);
    const objects = render(fleet);
    expect(elements(objects, 'metrics-server')).toEqual([{ cluster: 'alpha' }]);
    expect(() => findObject(objects, 'ApplicationSet', 'loki')).toThrow(/expected one ApplicationSet "loki", found 0/);
  });

  test('per-cluster values reach only that cluster, merged over the values the bundle computes', () => {
    const fleet = testFleet();
    const blog = Bundle.helm('blog', {
      repoUrl: 'https://charts.example.com',
      chart: 'wordpress',
      version: '28.1.5',
      namespace: 'blog',
      valuesForCluster: (c) => ({ ingress: { hostname: `blog.${c.name}.example.com`, tls: true }, region: c.spec?.region }),
    });
    const dev = new Profile(fleet, 'dev', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [blog] });
    new Cluster(fleet, 'a', { profiles: [dev] });
    new Cluster(fleet, 'b', { profiles: [dev], bundleValues: { blog: { ingress: { hostname: 'blog.example.com' }, replicaCount: 3 } } });
    expect(elements(render(fleet), 'blog')).toEqual([
      { cluster: 'a', values: { ingress: { hostname: 'blog.a.example.com', tls: true }, region: 'us-east-1' } },
      { cluster: 'b', values: { ingress: { hostname: 'blog.example.com', tls: true }, region: 'us-east-1', replicaCount: 3 } },
    ]);
  });

  test('its bundle project lists its bundles\' repositories and namespaces on that cluster only, without wildcards', () => {
    const bundle = Bundle.helm('monitoring', {
      repoUrl: 'https://prometheus-community.github.io/helm-charts',
      chart: 'kube-prometheus-stack',
      version: '75.15.1',
      namespace: 'monitoring',
      extraNamespaces: ['kube-system'],
    });
    const objects = render(devFleet([bundle, wordpress()]).fleet);
    const project = findObject(objects, 'AppProject', 'dev-a-bundles').spec as Record<string, unknown>;
    expect(project.sourceRepos).toEqual(['https://charts.example.com/stable', 'https://prometheus-community.github.io/helm-charts']);
    expect(project.destinations).toEqual([
      { name: 'dev-a', namespace: 'blog' }, { name: 'dev-a', namespace: 'kube-system' }, { name: 'dev-a', namespace: 'monitoring' },
    ]);
    expect(JSON.stringify([project.sourceRepos, project.destinations])).not.toContain('*');
  });

  test('a cluster without bundles has no bundle project', () => {
    const objects = render(devFleet([]).fleet);
    expect([...objects.values()].filter((o) => o.kind === 'AppProject').map((o) => o.metadata.name).sort()).toEqual(['dev-a', 'test']);
  });
});

describe('ExternalCluster', () => {
  test('receives its profiles\' bundles and nothing else', () => {
    // GIVEN a cluster already registered in Argo CD, carrying a bundles-only profile
    const fleet = testFleet();
    const ops = new Profile(fleet, 'ops', { bundles: [Bundles.metricsServer()] });
    new ExternalCluster(fleet, 'legacy', { profiles: [ops], labels: { env: 'ops' } });
    // WHEN
    const files = fleet.renderFiles();
    // THEN an ApplicationSet element and a bundle project, and no Cluster API objects
    expect([...files.keys()].sort()).toEqual([
      'argocd/bundles/metrics-server/ApplicationSet.metrics-server.yaml',
      'argocd/clusters/legacy/AppProject.legacy-bundles.yaml',
      'fleet/AppProject.test.yaml',
      'fleet/Application.test.yaml',
    ]);
    expect(elements(parseFiles(files), 'metrics-server')).toEqual([{ cluster: 'legacy' }]);
    expect(files.get('argocd/clusters/legacy/AppProject.legacy-bundles.yaml')).toMatchSnapshot();
  });

  test('cannot carry a bundle that needs an EKS spec', () => {
    const fleet = testFleet();
    const ops = new Profile(fleet, 'ops', { bundles: [Bundles.clusterAutoscaler()] });
    expect(() => new ExternalCluster(fleet, 'legacy', { profiles: [ops] })).toThrow(
      '[legacy] bundle "cluster-autoscaler" needs a cluster created from an EKS spec, and "legacy" is an external cluster; '
      + 'exclude it with `excludeBundles: [\'cluster-autoscaler\']`');
    expect(() => new ExternalCluster(fleet, 'legacy2', { profiles: [ops], excludeBundles: ['cluster-autoscaler'] })).not.toThrow();
  });
});

describe('ready-made bundles', () => {
  test('cluster-autoscaler is pinned, configured per cluster, and takes over the node pools\' replica counts', () => {
    // GIVEN a profile with the autoscaler, on a management cluster whose CAPA may create OIDC providers (IRSA)
    const fleet = testFleet({ management: { ...TEST_MANAGEMENT, capaFeatureGates: { eksEnableIam: true } } });
    const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps({
      kubernetesVersion: KubernetesVersion.V1_35,
      region: 'eu-central-1',
      nodePools: { general: { instanceType: 'm6i.large', minSize: 2, maxSize: 9 } },
    }));
    const autoscaler = Bundles.clusterAutoscaler({ roleArnForCluster: (c) => `arn:aws:iam::111122223333:role/${c.name}-ca` });
    const prod = new Profile(fleet, 'prod', { spec, bundles: [autoscaler] });
    const cluster = new Cluster(fleet, 'prod-a', { profiles: [prod] });
    cluster.addNodePool('batch', { instanceType: 'c7i.xlarge', minSize: 0, maxSize: 5 });
    // WHEN
    const objects = render(fleet);
    // THEN the chart is pinned and each cluster gets its region, EKS name and a matching autoscaler version
    const set = appSet(objects, 'cluster-autoscaler');
    expect(set.template.spec.source).toMatchObject({ chart: 'cluster-autoscaler', targetRevision: PRESET_VERSIONS.clusterAutoscalerChart });
    expect(set.template.spec.destination).toEqual({ name: '{{.cluster}}', namespace: 'kube-system' });
    expect(elements(objects, 'cluster-autoscaler')).toEqual([{
      cluster: 'prod-a',
      values: {
        awsRegion: 'eu-central-1',
        autoDiscovery: { clusterName: 'prod-a' },
        image: { tag: 'v1.35.2' },
        rbac: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/prod-a-ca' } } },
      },
    }]);
    // AND the pool's bounds are the node group's, and its replicas are left to the autoscaler
    expect(findObject(objects, 'AWSManagedMachinePool', 'prod-a-general').spec).toMatchObject({ scaling: { minSize: 2, maxSize: 9 } });
    // with both autoscaler size annotations, so Cluster API's webhook starts a new pool at its minimum, and a pool of
    // the cluster's own follows the same rule
    for (const [pool, [min, max]] of [['general', [2, 9]], ['batch', [0, 5]]] as const) {
      const machinePool = findObject(objects, 'MachinePool', `prod-a-${pool}`);
      expect((machinePool.spec as { replicas?: number }).replicas).toBeUndefined();
      expect(machinePool.metadata.annotations).toMatchObject({
        'cluster.x-k8s.io/replicas-managed-by': 'external-autoscaler',
        'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': String(min),
        'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': String(max),
      });
    }
    // AND the role it assumes needs the cluster's IAM OIDC provider
    expect((findObject(objects, 'AWSManagedControlPlane', 'prod-a-control-plane').spec as { associateOIDCProvider?: boolean }).associateOIDCProvider).toBe(true);
  });

  test('cluster-autoscaler with an IAM role is refused while CAPA cannot create OIDC providers, naming the gate', () => {
    const fleet = testFleet();
    const prod = new Profile(fleet, 'prod', {
      spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()),
      bundles: [Bundles.clusterAutoscaler({ roleArnForCluster: (c) => `arn:aws:iam::111122223333:role/${c.name}-ca` })],
    });
    expect(() => new Cluster(fleet, 'prod-a', { profiles: [prod] })).toThrow(
      /^\[prod-a\] bundle cluster-autoscaler \(profile "prod"\) needs an IAM OIDC provider .*EKSEnableIAM feature gate.*CAPA_EKS_IAM=true.*capaFeatureGates: \{ eksEnableIam: true \}/);
    // without a role the autoscaler uses the node role, and nothing needs the gate
    const other = testFleet();
    const plain = new Profile(other, 'plain', { spec: new EksClusterSpec(other, 'Spec', minimalSpecProps()), bundles: [Bundles.clusterAutoscaler()] });
    const cluster = new Cluster(other, 'plain-a', { profiles: [plain] });
    expect(cluster.controlPlane.toJson().spec.associateOIDCProvider).toBeUndefined();
  });

  test('metrics-server is pinned and installs into kube-system', () => {
    const set = appSet(render(devFleet([Bundles.metricsServer()]).fleet), 'metrics-server');
    expect(set.template.spec.source).toEqual({
      repoURL: 'https://kubernetes-sigs.github.io/metrics-server', chart: 'metrics-server', targetRevision: '3.13.1', helm: { releaseName: 'metrics-server' },
    });
    expect(set.template.spec.syncPolicy).toEqual({ automated: { prune: true, selfHeal: true } });
  });
});

test('every object of a fleet using every bundle kind validates against its CRD', () => {
  const fleet = testFleet();
  const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps());
  const everything = new Profile(fleet, 'all', {
    spec,
    bundles: [
      wordpress(), Bundles.metricsServer(), Bundles.clusterAutoscaler(),
      Bundle.git('kustomized', { repoUrl: 'https://github.com/acme/k.git', revision: 'v1', path: 'k', type: GitSourceType.KUSTOMIZE, namespace: 'k' }),
      Bundle.inline('inline', { namespace: 'apps', define: (scope) => new kplus.ServiceAccount(scope, 'Sa', { metadata: { name: 'sa' } }) }),
    ],
  });
  new Cluster(fleet, 'a', { profiles: [everything], bundleValues: { wordpress: { replicaCount: 2 } } });
  new ExternalCluster(fleet, 'ext', { profiles: [new Profile(fleet, 'ops', { bundles: [Bundles.metricsServer()] })] });
  const objects = render(fleet);
  expect([...objects.values()].flatMap((o) => schemas.validate(o))).toEqual([]);
  expect([...objects.values()].filter((o) => o.kind === 'ApplicationSet')).toHaveLength(5);
});

test('cluster-autoscaler refuses a cluster whose Kubernetes minor has no pinned image, saying how to give one', () => {
  const fleet = testFleet();
  const spec = new EksClusterSpec(fleet, 'Spec', minimalSpecProps({ kubernetesVersion: KubernetesVersion.unlisted('1.37'), addons: [] }));
  const profile = new Profile(fleet, 'next', { spec, bundles: [Bundles.clusterAutoscaler()] });
  expect(() => new Cluster(fleet, 'next-a', { profiles: [profile] })).toThrow(
    '[next-a] values of bundle "cluster-autoscaler" for this cluster could not be computed: bundle cluster-autoscaler has no image pinned for Kubernetes 1.37 '
    + '(pinned: 1.32, 1.33, 1.34, 1.35, 1.36); give one with `Bundles.clusterAutoscaler({ imageTags: { \'1.37\': \'v1.37.<patch>\' } })`, '
    + 'the latest cluster-autoscaler release of 1.37');
  const other = testFleet();
  const later = new Profile(other, 'next', {
    spec: new EksClusterSpec(other, 'Spec', minimalSpecProps({ kubernetesVersion: KubernetesVersion.unlisted('1.37'), addons: [] })),
    bundles: [Bundles.clusterAutoscaler({ imageTags: { 1.37: 'v1.37.0' } })],
  });
  new Cluster(other, 'next-a', { profiles: [later] });
  expect(elements(render(other), 'cluster-autoscaler')[0].values).toMatchObject({ image: { tag: 'v1.37.0' } });
});
