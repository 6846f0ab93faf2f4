import * as kplus from 'cdk8s-plus-28';
import {
  Bundle, Bundles, Cluster, EksClusterSpec, ExternalCluster, GitSourceType, KubernetesVersion, Profile, PRESET_VERSIONS, RemovalPolicy,
  type Fleet,
} from '../src';
import { application, argoCd, specOf } from './support/argo';
import { CrdSchemas } from './support/crd-schemas';
import { minimalSpecProps, TEST_MANAGEMENT, testFleet } from './support/fixtures';
import { findObject, parseFiles } from './support/fleet-files';
import { bundleApplications } from './upstream/argocd-instance';
import { listedClusters } from '../src/argocd/list-generator';

const schemas = new CrdSchemas();

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
  test('install a chart from an HTTP repository, pinned, with its values from the fleet repository', () => {
    const argo = argoCd(devFleet([wordpress()]).fleet);
    const app = application(argo, 'test--dev-a--wordpress');
    expect(argo.problems()).toEqual([]);
    expect(app.installs).toBe('https://charts.example.com/stable wordpress @ 28.1.5');
    expect(app.helmValues).toEqual({ ingress: { enabled: true }, service: { type: 'ClusterIP' } });
    expect(specOf(app).sources![0]).toMatchObject({ chart: 'wordpress', helm: { releaseName: 'wordpress', valueFiles: ['$values/dist/bundles/wordpress/values.yaml'] } });
  });

  test('install a chart from an OCI registry through Argo CD\'s native OCI source', () => {
    const bundle = Bundle.helm('podinfo', { repoUrl: 'oci://ghcr.io/stefanprodan/charts/', chart: 'podinfo', version: '6.7.1', namespace: 'podinfo' });
    const argo = argoCd(devFleet([bundle]).fleet);
    expect(argo.problems()).toEqual([]);
    expect(specOf(application(argo, 'test--dev-a--podinfo')).source).toEqual({
      repoURL: 'oci://ghcr.io/stefanprodan/charts/podinfo', path: '.', targetRevision: '6.7.1', helm: { releaseName: 'podinfo' },
    });
    expect(argo.projects.get('test-bundles')!.sourceRepos).toEqual(['https://git.example.com/platform/fleet.git', 'oci://ghcr.io/stefanprodan/charts/podinfo']);
  });
});

describe('git bundles', () => {
  test.each([
    [GitSourceType.DIRECTORY, { directory: { recurse: true } }],
    [GitSourceType.KUSTOMIZE, { kustomize: {} }],
    [GitSourceType.HELM, { helm: { releaseName: 'addons' } }],
  ])('render a %s path at a pinned revision', (type, rendering) => {
    const bundle = Bundle.git('addons', {
      repoUrl: 'https://github.com/acme/addons.git',
      revision: 'v1.2.0',
      path: './deploy/addons/',
      type,
      namespace: 'addons',
      recurse: type === GitSourceType.DIRECTORY ? true : undefined,
    });
    const argo = argoCd(devFleet([bundle]).fleet);
    expect(argo.problems()).toEqual([]);
    expect(specOf(application(argo, 'test--dev-a--addons')).source).toEqual({
      repoURL: 'https://github.com/acme/addons.git', targetRevision: 'v1.2.0', path: 'deploy/addons', ...rendering,
    });
  });

  test.each([
    ['a full commit SHA', '3f9c2ab1d8e94c0b6a7f5e2d1c0b9a8f7e6d5c4b', false],
    ['an abbreviated commit SHA', '3f9c2ab', false],
    ['a version tag', 'v1.2.3-rc.1', false],
    ['a tag by its ref', 'refs/tags/stable-2026-11', false],
    ['a branch, followed on purpose', 'main', true],
  ])('pin %s (or follow a branch when told to)', (_what, revision, trackBranch) => {
    const bundle = Bundle.git('addons', { repoUrl: 'https://github.com/acme/addons.git', revision, trackBranch, path: '.', namespace: 'addons' });
    expect(bundle.problems()).toEqual([]);
    expect((specOf(application(argoCd(devFleet([bundle]).fleet), 'test--dev-a--addons')).source as { targetRevision: string }).targetRevision).toBe(revision);
  });

  test('a Helm chart in git takes values, and per-cluster values', () => {
    const bundle = Bundle.git('addons', {
      repoUrl: 'https://github.com/acme/addons.git', revision: 'v1.2.0', path: 'chart', type: GitSourceType.HELM, namespace: 'addons', values: { a: 1 },
    });
    const fleet = testFleet();
    const dev = new Profile(fleet, 'dev', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [bundle] });
    new Cluster(fleet, 'dev-a', { profiles: [dev], bundleValues: { addons: { replicas: 2 } } });
    new Cluster(fleet, 'dev-b', { profiles: [dev] });
    const argo = argoCd(fleet);
    expect(argo.problems()).toEqual([]);
    expect(application(argo, 'test--dev-a--addons').helmValues).toEqual({ a: 1, replicas: 2 });
    expect(application(argo, 'test--dev-b--addons').helmValues).toEqual({ a: 1 });
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
    const argo = argoCd(fleet);
    expect(argo.problems()).toEqual([]);
    for (const cluster of ['dev-a', 'dev-b']) {
      const app = application(argo, `test--${cluster}--baseline`);
      expect(specOf(app).source).toEqual({
        repoURL: 'https://git.example.com/platform/fleet.git', targetRevision: 'main', path: 'dist/bundles/baseline', directory: { recurse: false },
      });
      expect([...app.manifests.keys()].sort()).toEqual(['bundles/baseline/ConfigMap.settings.yaml', 'bundles/baseline/ServiceAccount.deployer.yaml']);
      expect(app.object.metadata.annotations?.['argocd.argoproj.io/manifest-generate-paths']).toBe('/dist/bundles/baseline');
    }
  });

  test('add the namespaces their objects use to the bundles\' project', () => {
    const argo = argoCd(devFleet([baseline()]).fleet);
    expect(argo.projects.get('test-bundles')!.destinations).toEqual(['apps', 'shared'].flatMap((namespace) => [
      { server: '!https://kubernetes.default.svc', namespace }, { name: '!in-cluster', namespace },
    ]));
  });
});

describe('the Applications of a bundle', () => {
  test('one per cluster that carries it, targeting the cluster by name, pruning, self-healing, creating the namespace, retrying', () => {
    const argo = argoCd(devFleet([wordpress()], ['dev-b', 'dev-a']).fleet);
    expect([...bundleApplications(argo).keys()].sort()).toEqual(['test--dev-a--wordpress', 'test--dev-b--wordpress']);
    const app = application(argo, 'test--dev-a--wordpress');
    expect(app.object.metadata).toEqual({
      name: 'test--dev-a--wordpress',
      namespace: 'argocd',
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s-arlon', 'arlon.io/fleet': 'test', 'arlon.io/bundle': 'wordpress', 'arlon.io/cluster': 'dev-a' },
      annotations: { 'argocd.argoproj.io/manifest-generate-paths': '/dist/bundles/wordpress/values.yaml' },
    });
    expect(specOf(app)).toMatchObject({
      project: 'test-bundles',
      destination: { name: 'test--dev-a', namespace: 'blog' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
        retry: { limit: 10, refresh: true, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
      },
    });
  });

  test('with RemovalPolicy.DESTROY, delete what they installed when they are deleted: the resources finalizer', () => {
    const bundle = Bundle.helm('wordpress', {
      repoUrl: 'oci://registry-1.docker.io/bitnamicharts', chart: 'wordpress', version: '28.1.5', namespace: 'wordpress', removalPolicy: RemovalPolicy.DESTROY,
    });
    const argo = argoCd(devFleet([bundle]).fleet);
    expect(argo.problems()).toEqual([]);
    expect(application(argo, 'test--dev-a--wordpress').object.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  test('keep what they installed when they are deleted: no resources finalizer', () => {
    const argo = argoCd(devFleet([wordpress()]).fleet);
    expect(application(argo, 'test--dev-a--wordpress').object.metadata.finalizers).toBeUndefined();
    const [set] = [...argo.applicationSets.values()].filter((a) => a.object.metadata.labels?.['arlon.io/bundle'] === 'wordpress');
    expect(set.object.spec).toMatchObject({ syncPolicy: { preserveResourcesOnDeletion: true } });
  });

  test('take the bundle\'s sync settings', () => {
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
    const spec = specOf(application(argoCd(devFleet([bundle]).fleet), 'test--dev-a--quiet'));
    expect(spec.syncPolicy).toMatchObject({ automated: { prune: false, selfHeal: false }, syncOptions: ['ServerSideApply=true'] });
    expect(spec.info).toEqual([{ name: 'Description', value: 'quiet things' }]);
  });

  test('a cluster\'s own values reach that cluster only, over the bundle\'s, in a values file; others read none', () => {
    const { fleet, dev } = devFleet([wordpress()]);
    new Cluster(fleet, 'dev-b', { profiles: [dev], bundleValues: { wordpress: { ingress: { hostname: 'b.example.com' } } } });
    const files = fleet.renderFiles();
    expect(files.get('bundles/wordpress/values/dev-b.yaml')).toContain('hostname: b.example.com');
    expect(files.has('bundles/wordpress/values/dev-a.yaml')).toBe(false);
    const argo = argoCd(fleet);
    expect(argo.problems()).toEqual([]);
    expect(application(argo, 'test--dev-a--wordpress').helmValues).toEqual({ ingress: { enabled: true }, service: { type: 'ClusterIP' } });
    expect(application(argo, 'test--dev-b--wordpress').helmValues).toEqual({ ingress: { enabled: true, hostname: 'b.example.com' }, service: { type: 'ClusterIP' } });
  });

  test('exist only for registered clusters; a cluster not registered yet gets its Application within 3 minutes of registering', () => {
    const { fleet } = devFleet([wordpress()], ['dev-a', 'dev-b']);
    // GIVEN dev-b not registered yet: the controller generates its Application and validation skips it (issue 26: the
    // list names the clusters, and Argo CD's destination check, not a cluster generator, keeps it to registered ones)
    const argo = argoCd(fleet, ['dev-a']);
    expect([...bundleApplications(argo).keys()]).toEqual(['test--dev-a--wordpress']);
    const [appSet] = [...argo.applicationSets.values()].filter(({ object }) => object.metadata.name.startsWith('test-bundle-') && listedClusters(object.spec).includes('dev-b'));
    expect(appSet.result.invalid).toEqual(new Map([['test--dev-b--wordpress', 'application destination spec is invalid: there are no clusters with this name: test--dev-b']]));
    // THEN the ApplicationSet reports it (ErrorOccurred) and is reconciled again in 3 minutes, with no event needed
    expect(appSet.result.requeueAfterSeconds).toBe(180);
    // AND once dev-b is registered, that reconcile creates its Application, and nothing is left to retry
    const both = argoCd(fleet, ['dev-a', 'dev-b']);
    expect([...bundleApplications(both).keys()].sort()).toEqual(['test--dev-a--wordpress', 'test--dev-b--wordpress']);
    expect(both.problems()).toEqual([]);
    expect(new Set([...both.applicationSets.values()].map(({ result }) => result.requeueAfterSeconds))).toEqual(new Set([0]));
  });

  test('match the snapshot of their ApplicationSet', () => {
    const fleet = testFleet();
    const dev = new Profile(fleet, 'dev', { spec: new EksClusterSpec(fleet, 'Spec', minimalSpecProps()), bundles: [wordpress()] });
    new Cluster(fleet, 'dev-a', { profiles: [dev], bundleValues: { wordpress: { ingress: { hostname: 'a.example.com' } } } });
    const files = [...fleet.renderFiles()].filter(([file]) => /^argocd\/shards\/\d+\/ApplicationSet\.test-bundle-wordpress-\d+\.yaml$/.test(file));
    expect(files).toHaveLength(1);
    expect(Object.fromEntries(files)).toMatchSnapshot();
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
    const argo = argoCd(fleet);
    expect([...bundleApplications(argo).keys()].sort()).toEqual(['test--alpha--extra', 'test--alpha--metrics-server', 'test--alpha--wordpress']);
    expect([...argo.applicationSets.keys()].filter((name) => name.includes('loki'))).toEqual([]);
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
    const argo = argoCd(fleet);
    expect(application(argo, 'test--a--blog').helmValues).toEqual({ ingress: { hostname: 'blog.a.example.com', tls: true }, region: 'us-east-1' });
    expect(application(argo, 'test--b--blog').helmValues).toEqual({ ingress: { hostname: 'blog.example.com', tls: true }, region: 'us-east-1', replicaCount: 3 });
  });

  test('the bundles\' project lists their repositories and namespaces, on any cluster but the management cluster', () => {
    const bundle = Bundle.helm('monitoring', {
      repoUrl: 'https://prometheus-community.github.io/helm-charts',
      chart: 'kube-prometheus-stack',
      version: '75.15.1',
      namespace: 'monitoring',
      extraNamespaces: ['kube-system'],
    });
    const argo = argoCd(devFleet([bundle, wordpress()]).fleet);
    const project = argo.projects.get('test-bundles')!;
    expect(project.sourceRepos).toEqual(['https://charts.example.com/stable', 'https://git.example.com/platform/fleet.git', 'https://prometheus-community.github.io/helm-charts']);
    // the management cluster denied by its in-cluster server and its Argo CD name (see management-addresses.test.ts)
    expect(project.destinations).toEqual(['blog', 'kube-system', 'monitoring']
      .flatMap((namespace) => [{ server: '!https://kubernetes.default.svc', namespace }, { name: '!in-cluster', namespace }]));
    expect(argo.problems()).toEqual([]);
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
    // THEN no Cluster API objects, a record of it, and its bundle's Application once it is registered
    expect([...files.keys()].filter((f) => f.startsWith('clusters/'))).toEqual([]);
    expect(files.get('argocd/ConfigMap.test-external-clusters.yaml')).toMatchSnapshot();
    const argo = argoCd(fleet);
    expect([...bundleApplications(argo).keys()]).toEqual(['test--legacy--metrics-server']);
    expect(argo.problems()).toEqual([]);
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
    const argo = argoCd(fleet);
    const app = application(argo, 'test--prod-a--cluster-autoscaler');
    expect(app.installs).toBe(`https://kubernetes.github.io/autoscaler cluster-autoscaler @ ${PRESET_VERSIONS.clusterAutoscalerChart}`);
    expect(specOf(app).destination).toEqual({ name: cluster.names.base, namespace: 'kube-system' });
    expect(app.helmValues).toEqual({
      cloudProvider: 'aws',
      fullnameOverride: 'cluster-autoscaler',
      awsRegion: 'eu-central-1',
      autoDiscovery: { clusterName: cluster.names.eksCluster },
      image: { tag: 'v1.35.2' },
      rbac: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/prod-a-ca' } } },
    });
    // AND the pool's bounds are the node group's, and its replicas are left to the autoscaler
    expect(findObject(objects, 'AWSManagedMachinePool', `${cluster.names.base}-general`).spec).toMatchObject({ scaling: { minSize: 2, maxSize: 9 } });
    // with both autoscaler size annotations, so Cluster API's webhook starts a new pool at its minimum, and a pool of
    // the cluster's own follows the same rule
    for (const [pool, [min, max]] of [['general', [2, 9]], ['batch', [0, 5]]] as const) {
      const machinePool = findObject(objects, 'MachinePool', `${cluster.names.base}-${pool}`);
      expect((machinePool.spec as { replicas?: number }).replicas).toBeUndefined();
      expect(machinePool.metadata.annotations).toMatchObject({
        'cluster.x-k8s.io/replicas-managed-by': 'external-autoscaler',
        'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': String(min),
        'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': String(max),
      });
    }
    // AND the role it assumes needs the cluster's IAM OIDC provider
    expect((findObject(objects, 'AWSManagedControlPlane', `${cluster.names.base}-control-plane`).spec as { associateOIDCProvider?: boolean }).associateOIDCProvider).toBe(true);
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
    const app = application(argoCd(devFleet([Bundles.metricsServer()]).fleet), 'test--dev-a--metrics-server');
    expect(specOf(app).source).toEqual({
      repoURL: 'https://kubernetes-sigs.github.io/metrics-server', chart: 'metrics-server', targetRevision: '3.13.1', helm: { releaseName: 'metrics-server' },
    });
    expect(specOf(app).destination).toEqual({ name: 'test--dev-a', namespace: 'kube-system' });
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
  expect([...objects.values()].filter((o) => o.kind === 'ApplicationSet').map((o) => o.metadata.labels?.['arlon.io/bundle']).filter((b) => b).sort())
    // one per bundle and shard: "a" and "ext" fall in different shards
    .toEqual(['cluster-autoscaler', 'inline', 'kustomized', 'metrics-server', 'metrics-server', 'wordpress']);
  expect(argoCd(fleet).problems()).toEqual([]);
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
  expect(application(argoCd(other), 'test--next-a--cluster-autoscaler').helmValues).toMatchObject({ image: { tag: 'v1.37.0' } });
});
