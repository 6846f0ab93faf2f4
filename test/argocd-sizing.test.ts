import {
  DEFAULT_APPLICATIONSET_CONCURRENT_RECONCILIATIONS, DEFAULT_KUBECTL_PARALLELISM_LIMIT, DEFAULT_OPERATION_PROCESSORS, DEFAULT_STATUS_PROCESSORS,
  REFERENCE_APPLICATIONS, argoCdSizing, type FleetSize,
} from '../src/management/argocd-sizing';

/**
 * The keys of argoproj/argo-cd v3.5.1 `docs/operator-manual/argocd-cmd-params-cm.yaml` (`data:`, in file order), with
 * the value that file gives for those whose default the sizing relies on.
 */
const CMD_PARAMS_KEYS = [
  'repo.server', 'commit.server', 'redis.server', 'redis.compression', 'redis.db', 'hydrator.enabled', 'otlp.address', 'otlp.insecure',
  'otlp.headers', 'otlp.attrs', 'application.namespaces', 'log.format.timestamp', 'controller.repo.server.timeout.seconds',
  'controller.repo.server.plaintext', 'controller.repo.server.strict.tls', 'controller.repo.server.ca.cert.path',
  'controller.repo.server.client.cert.path', 'controller.repo.server.client.cert.key.path', 'controller.status.processors',
  'controller.operation.processors', 'controller.hydration.processors', 'controller.log.format', 'controller.log.level',
  'controller.metrics.cache.expiration', 'controller.self.heal.timeout.seconds', 'controller.self.heal.backoff.timeout.seconds',
  'controller.self.heal.backoff.factor', 'controller.self.heal.backoff.cap.seconds', 'controller.sync.timeout.seconds',
  'controller.sync.wave.delay.seconds', 'controller.app.state.cache.expiration', 'controller.resource.health.persist',
  'controller.default.cache.expiration', 'controller.sharding.algorithm', 'controller.kubectl.parallelism.limit', 'controller.k8sclient.retry.max',
  'controller.k8sclient.retry.base.backoff', 'controller.repo.error.grace.period.seconds', 'controller.diff.server.side',
  'controller.profile.enabled', 'controller.cluster.cache.batch.events.processing', 'controller.cluster.cache.events.processing.interval',
  'controller.k8s.client.qps', 'controller.k8s.client.burst', 'controller.k8s.client.max.idle.connections', 'controller.k8s.tcp.timeout',
  'controller.k8s.tcp.keepalive', 'controller.k8s.tls.handshake.timeout', 'controller.k8s.tcp.idle.timeout',
  'controller.grpc.enable.txt.service.config', 'server.listen.address', 'server.metrics.listen.address', 'server.insecure', 'server.basehref',
  'server.rootpath', 'server.staticassets', 'server.k8sclient.retry.max', 'server.k8sclient.retry.base.backoff', 'server.api.content.types',
  'server.webhook.parallelism.limit', 'server.glob.cache.size', 'server.webhook.refresh.workers', 'server.sync.replace.allowed',
  'server.log.format', 'server.log.level', 'server.repo.server.timeout.seconds', 'server.repo.server.plaintext', 'server.repo.server.strict.tls',
  'server.repo.server.ca.cert.path', 'server.repo.server.client.cert.path', 'server.repo.server.client.cert.key.path', 'server.dex.server',
  'server.dex.server.plaintext', 'server.dex.server.strict.tls', 'server.disable.auth', 'server.enable.gzip', 'server.x.frame.options',
  'server.tls.minversion', 'server.tls.maxversion', 'server.tls.ciphers', 'server.connection.status.cache.expiration',
  'server.oidc.cache.expiration', 'server.app.state.cache.expiration', 'server.default.cache.expiration', 'server.enable.proxy.extension',
  'server.profile.enabled', 'server.k8s.client.qps', 'server.k8s.client.burst', 'server.k8s.client.max.idle.connections', 'server.k8s.tcp.timeout',
  'server.k8s.tcp.keepalive', 'server.k8s.tls.handshake.timeout', 'server.k8s.tcp.idle.timeout', 'server.grpc.enable.txt.service.config',
  'reposerver.listen.address', 'reposerver.metrics.listen.address', 'reposerver.log.format', 'reposerver.log.level',
  'reposerver.parallelism.limit', 'reposerver.disable.tls', 'reposerver.tls.minversion', 'reposerver.tls.maxversion', 'reposerver.tls.ciphers',
  'reposerver.client.ca.path', 'reposerver.repo.cache.expiration', 'reposerver.default.cache.expiration',
  'reposerver.max.combined.directory.manifests.size', 'reposerver.plugin.tar.exclusions', 'reposerver.plugin.use.manifest.generate.paths',
  'reposerver.allow.oob.symlinks', 'reposerver.streamed.manifest.max.tar.size', 'reposerver.streamed.manifest.max.extracted.size',
  'reposerver.oci.manifest.max.extracted.size', 'reposerver.disable.oci.manifest.max.extracted.size', 'reposerver.oci.layer.media.types',
  'reposerver.enable.git.submodule', 'reposerver.git.lsremote.parallelism.limit', 'reposerver.git.request.timeout',
  'reposerver.enable.builtin.git.config', 'reposerver.include.hidden.directories', 'reposerver.grpc.enable.txt.service.config',
  'reposerver.profile.enabled', 'commitserver.listen.address', 'commitserver.log.format', 'commitserver.log.level',
  'commitserver.metrics.listen.address', 'commitserver.grpc.enable.txt.service.config', 'dexserver.log.format', 'dexserver.log.level',
  'dexserver.disable.tls', 'dexserver.connector.failure.continue', 'applicationsetcontroller.enable.leader.election',
  'applicationsetcontroller.policy', 'applicationsetcontroller.enable.policy.override', 'applicationsetcontroller.concurrent.reconciliations.max',
  'applicationsetcontroller.enable.new.git.file.globbing', 'applicationsetcontroller.debug', 'applicationsetcontroller.log.format',
  'applicationsetcontroller.log.level', 'applicationsetcontroller.dryrun', 'applicationsetcontroller.enable.git.submodule',
  'applicationsetcontroller.enable.progressive.syncs', 'applicationsetcontroller.namespaces', 'applicationsetcontroller.scm.root.ca.path',
  'applicationsetcontroller.allowed.scm.providers', 'applicationsetcontroller.enable.scm.providers',
  'applicationsetcontroller.webhook.parallelism.limit', 'applicationsetcontroller.requeue.after',
  'applicationsetcontroller.enable.tokenref.strict.mode', 'applicationsetcontroller.global.preserved.annotations',
  'applicationsetcontroller.global.preserved.labels', 'applicationsetcontroller.enable.github.api.metrics',
  'applicationsetcontroller.status.max.resources.count', 'applicationsetcontroller.profile.enabled', 'applicationsetcontroller.k8s.client.qps',
  'applicationsetcontroller.k8s.client.burst', 'applicationsetcontroller.k8s.client.max.idle.connections',
  'applicationsetcontroller.k8s.tcp.timeout', 'applicationsetcontroller.k8s.tcp.keepalive', 'applicationsetcontroller.k8s.tls.handshake.timeout',
  'applicationsetcontroller.k8s.tcp.idle.timeout', 'applicationsetcontroller.grpc.enable.txt.service.config',
  'applicationsetcontroller.repo.server.ca.cert.path', 'applicationsetcontroller.repo.server.client.cert.path',
  'applicationsetcontroller.repo.server.client.cert.key.path', 'notificationscontroller.log.level', 'notificationscontroller.log.format',
  'notificationscontroller.processors.count', 'notificationscontroller.selfservice.enabled', 'notificationscontroller.repo.server.plaintext',
  'notificationscontroller.repo.server.ca.cert.path', 'notificationscontroller.repo.server.client.cert.path',
  'notificationscontroller.repo.server.client.cert.key.path',
];
/** Values of the same file for the defaults the sizing relies on. */
const CMD_PARAMS_DEFAULTS: Record<string, string> = {
  'controller.status.processors': '20',
  'controller.operation.processors': '10',
  'controller.sharding.algorithm': 'legacy',
  'controller.kubectl.parallelism.limit': '20',
  'controller.diff.server.side': 'false',
  'applicationsetcontroller.concurrent.reconciliations.max': '10',
};
/**
 * The `argocd-cmd-params-cm` keys a container of v3.5.1 `manifests/install.yaml` reads (`configMapKeyRef`), for the
 * keys the sizing writes, with the variable they become.
 */
const INSTALL_YAML_READS: Record<string, string> = {
  'controller.status.processors': 'ARGOCD_APPLICATION_CONTROLLER_STATUS_PROCESSORS',
  'controller.operation.processors': 'ARGOCD_APPLICATION_CONTROLLER_OPERATION_PROCESSORS',
  'controller.sharding.algorithm': 'ARGOCD_CONTROLLER_SHARDING_ALGORITHM',
  'controller.kubectl.parallelism.limit': 'ARGOCD_APPLICATION_CONTROLLER_KUBECTL_PARALLELISM_LIMIT',
  'controller.diff.server.side': 'ARGOCD_APPLICATION_CONTROLLER_SERVER_SIDE_DIFF',
  'applicationsetcontroller.concurrent.reconciliations.max': 'ARGOCD_APPLICATIONSET_CONTROLLER_CONCURRENT_RECONCILIATIONS',
};
/** `common/common.go` v3.5.1: LegacyShardingAlgorithm, RoundRobinShardingAlgorithm, ConsistentHashingWithBoundedLoadsAlgorithm. */
const SHARDING_ALGORITHMS = ['legacy', 'round-robin', 'consistent-hashing'];

/** A fleet like Arlon's: one cluster Application per cluster, `bundles` bundle Applications per cluster. */
const fleet = (clusters: number, bundles = 3, applicationSets = 1 + bundles): FleetSize =>
  ({ clusters, applications: clusters * (1 + bundles), applicationSets });

describe('argoCdSizing', () => {
  test('the defaults it relies on are the documented ones', () => {
    const defaults = [DEFAULT_STATUS_PROCESSORS, DEFAULT_OPERATION_PROCESSORS, DEFAULT_KUBECTL_PARALLELISM_LIMIT,
      DEFAULT_APPLICATIONSET_CONCURRENT_RECONCILIATIONS];
    expect(defaults.map(String))
      .toEqual(['controller.status.processors', 'controller.operation.processors', 'controller.kubectl.parallelism.limit',
        'applicationsetcontroller.concurrent.reconciliations.max'].map((k) => CMD_PARAMS_DEFAULTS[k]));
    expect(REFERENCE_APPLICATIONS).toBe(1000);
  });

  test('10 clusters: one controller at the default processors (no sharding)', () => {
    const s = argoCdSizing(fleet(10));
    expect(s).toMatchObject({
      controllerReplicas: 1,
      usefulControllerReplicas: 1,
      busiestReplicaApplications: 40,
      shardingAlgorithm: 'legacy',
      statusProcessors: 20,
      operationProcessors: 10,
      kubectlParallelismLimit: 20,
      applicationSetConcurrentReconciliations: 10,
      serverSideDiff: true,
      repoServerReplicas: 1,
      controllerEnv: { ARGOCD_CONTROLLER_REPLICAS: '1' },
    });
    expect(s.params).toEqual({
      'controller.status.processors': '20',
      'controller.operation.processors': '10',
      'controller.sharding.algorithm': 'legacy',
      'controller.diff.server.side': 'true',
      'applicationsetcontroller.concurrent.reconciliations.max': '10',
    });
  });

  test('the published point: 1000 applications on one controller → 50 status / 25 operation processors', () => {
    const s = argoCdSizing({ clusters: 250, applications: 1000, applicationSets: 40 });
    expect([s.controllerReplicas, s.statusProcessors, s.operationProcessors, s.kubectlParallelismLimit]).toEqual([1, 50, 25, 25]);
    expect(s.params['controller.kubectl.parallelism.limit']).toBe('25');
  });

  test('1,000 clusters × 3 bundles: the in-cluster shard (1000 cluster Applications) plus 3 replicas for 3000 bundle Applications', () => {
    const s = argoCdSizing(fleet(1000));
    expect(s).toMatchObject({
      controllerReplicas: 4,
      shardingAlgorithm: 'consistent-hashing',
      // 3000 / 3 = 1000 per workload shard, up to 1.25 × under bounded loads
      busiestReplicaApplications: 1250,
      statusProcessors: 63,
      operationProcessors: 32,
      kubectlParallelismLimit: 32,
      repoServerReplicas: 2,
      controllerEnv: { ARGOCD_CONTROLLER_REPLICAS: '4' },
    });
  });

  test('10,000 clusters × 3 bundles: the in-cluster shard dominates; replicas beyond it are useless', () => {
    const s = argoCdSizing(fleet(10000, 3, 500));
    // 30000 bundle Applications over shards no lighter than the in-cluster one (10000): 3, plus the in-cluster shard.
    expect(s).toMatchObject({
      controllerReplicas: 4, usefulControllerReplicas: 4, busiestReplicaApplications: 12500, statusProcessors: 625, operationProcessors: 313,
    });
    expect(s.applicationSetConcurrentReconciliations).toBe(25);
    expect(s.notes.join('\n')).toMatch(/10000 cluster Applications target the management cluster/);
    expect(s.notes.join('\n')).toMatch(/sharding cannot split one destination/);
    // Asking for more: the in-cluster shard still carries all 10000 cluster Applications.
    const more = argoCdSizing(fleet(10000, 3, 500), 16);
    expect([more.controllerReplicas, more.busiestReplicaApplications, more.statusProcessors]).toEqual([16, 10000, 500]);
    expect(more.notes.join('\n')).toMatch(/more than 4 take no load off the busiest one/);
  });

  test('clusters without bundles: every Application targets in-cluster, so one replica whatever the size', () => {
    const s = argoCdSizing({ clusters: 10000, applications: 10000, applicationSets: 10 });
    expect([s.controllerReplicas, s.busiestReplicaApplications, s.statusProcessors, s.operationProcessors]).toEqual([1, 10000, 500, 250]);
  });

  test('never more replicas than destinations', () => {
    expect(argoCdSizing({ clusters: 2, applications: 5002, applicationSets: 3 }).controllerReplicas).toBe(3);
    expect(argoCdSizing({ clusters: 0, applications: 0, applicationSets: 0 }).controllerReplicas).toBe(1);
  });

  test('the busiest replica never carries less with fewer replicas', () => {
    let previous = Infinity;
    for (let replicas = 1; replicas <= 8; replicas++) {
      const busiest = argoCdSizing(fleet(1000), replicas).busiestReplicaApplications;
      expect(busiest).toBeLessThanOrEqual(previous);
      previous = busiest;
    }
  });

  test('bad input', () => {
    expect(() => argoCdSizing({ clusters: -1, applications: 0, applicationSets: 0 })).toThrow(/clusters/);
    expect(() => argoCdSizing({ clusters: 1, applications: 1.5, applicationSets: 0 })).toThrow(/applications/);
    expect(() => argoCdSizing(fleet(1), 0)).toThrow(/controllerReplicas/);
  });

  test.each([fleet(10), fleet(1000), fleet(10000), { clusters: 3, applications: 2, applicationSets: 0 }])(
    'every key exists in Argo CD v3.5.1, is read by install.yaml, and has a string value (%o)', (size) => {
      const s = argoCdSizing(size);
      for (const [key, value] of Object.entries(s.params)) {
        expect(CMD_PARAMS_KEYS).toContain(key);
        expect(INSTALL_YAML_READS[key]).toBeDefined();
        expect(typeof value).toBe('string');
      }
      expect(SHARDING_ALGORITHMS).toContain(s.params['controller.sharding.algorithm']);
      expect(s.controllerEnv.ARGOCD_CONTROLLER_REPLICAS).toBe(String(s.controllerReplicas));
    });

  test('the key list is the upstream file\'s (no duplicates, 173 keys)', () => {
    expect(new Set(CMD_PARAMS_KEYS).size).toBe(CMD_PARAMS_KEYS.length);
    expect(CMD_PARAMS_KEYS).toHaveLength(173);
  });
});
