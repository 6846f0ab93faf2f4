/**
 * Port of kubernetes-sigs/cluster-api v1.14.0, `core/webhooks/admission/machinepool_test.go`, run against the ported
 * MachinePool webhook of ./capi-machinepool-webhook.ts. Every test function is ported: TestMachinePoolDefault,
 * TestCalculateMachinePoolReplicas, TestMachinePoolBootstrapValidation, TestMachinePoolClusterNameImmutable,
 * TestMachinePoolClusterNamesEqual, TestMachinePoolVersionValidation and TestMachinePoolMetadataValidation.
 *
 * Upstream calls the webhook methods directly (no API server), so the cases call the plain functions:
 * `ValidateCreate` and `ValidateDelete` are `validate(nil, mp)` = `validateMachinePool(undefined, mp)`, and
 * `ValidateUpdate` is `validate(old, new)` = `validateMachinePool(old, new)`, with the feature gates of upstream's
 * test binary (MachinePool on, MachineTaintPropagation off: `CAPI_DEFAULT_GATES`). Go structs are written as the JSON
 * they marshal to; a zero-valued field is simply absent. None of the webhook's methods returns warnings, so upstream's
 * `Expect(warnings).To(BeEmpty())` has nothing to port.
 */
import {
  AUTOSCALER_MAX_SIZE_ANNOTATION, AUTOSCALER_MIN_SIZE_ANNOTATION, CLUSTER_NAME_LABEL, calculateMachinePoolReplicas, defaultMachinePool,
  DEFAULT_NODE_DELETION_TIMEOUT_SECONDS, validateMachinePool, type AdmissionRequest, type MachinePool,
} from './capi-machinepool-webhook';

type Bootstrap = { configRef?: { name?: string }; dataSecretName?: string };

/** A MachinePool with the given spec (as Go's `&clusterv1.MachinePool{Spec: ...}`). */
const machinePool = (spec: MachinePool['spec'], metadata: MachinePool['metadata'] = {}): MachinePool => ({ metadata, spec });

/** `admission.NewContextWithRequest(ctx, admission.Request{})`: no operation, so not an update. */
const EMPTY_REQUEST: AdmissionRequest<MachinePool> = { operation: 'CREATE' };

/** `ValidateCreate` / `ValidateUpdate` / `ValidateDelete` of upstream's webhook. */
const validateCreate = (mp: MachinePool) => validateMachinePool(undefined, mp);
const validateUpdate = (oldMP: MachinePool, newMP: MachinePool) => validateMachinePool(oldMP, newMP);
const validateDelete = (mp: MachinePool) => validateMachinePool(undefined, mp);

describe('TestMachinePoolDefault', () => {
  const mp = (): MachinePool => machinePool({
    template: {
      spec: {
        bootstrap: { configRef: { name: 'bootstrap' } },
        version: '1.20.0',
      },
    },
  }, { namespace: 'foobar' });

  // testutil.CustomDefaultValidateTest: defaulted copies pass validation on create, update and delete.
  describe('for MachinePool', () => {
    const createCopy = mp();
    const updateCopy = mp();
    const deleteCopy = mp();
    const defaultingUpdateCopy = structuredClone(updateCopy);

    test('validate-on-create', () => {
      expect(() => defaultMachinePool(createCopy, EMPTY_REQUEST)).not.toThrow();
      expect(validateCreate(createCopy)).toEqual([]);
    });

    test('validate-on-update', () => {
      expect(() => defaultMachinePool(defaultingUpdateCopy, EMPTY_REQUEST)).not.toThrow();
      expect(() => defaultMachinePool(updateCopy, EMPTY_REQUEST)).not.toThrow();
      expect(validateUpdate(createCopy, defaultingUpdateCopy)).toEqual([]);
    });

    test('validate-on-delete', () => {
      expect(() => defaultMachinePool(deleteCopy, EMPTY_REQUEST)).not.toThrow();
      expect(validateDelete(deleteCopy)).toEqual([]);
    });
  });

  test('defaults', () => {
    const defaulted = mp();
    expect(() => defaultMachinePool(defaulted, EMPTY_REQUEST)).not.toThrow();

    // Go's mp.Spec.ClusterName is "" when unset.
    expect(defaulted.metadata.labels?.[CLUSTER_NAME_LABEL]).toBe(defaulted.spec.clusterName ?? '');
    expect(defaulted.spec.replicas).toBe(1);
    expect(defaulted.spec.template?.spec?.version).toBe('v1.20.0');
    expect(defaulted.spec.template?.spec?.deletion?.nodeDeletionTimeoutSeconds).toBe(DEFAULT_NODE_DELETION_TIMEOUT_SECONDS);
  });
});

describe('TestCalculateMachinePoolReplicas', () => {
  const withAnnotations = (annotations: Record<string, string>): MachinePool => machinePool({}, { annotations });
  const withReplicas = (replicas: number): MachinePool => machinePool({ replicas });

  const tests: Array<{ name: string; newMP: MachinePool; oldMP?: MachinePool; expectedReplicas?: number; expectErr?: boolean }> = [
    {
      name: 'if new MP has replicas set, keep that value',
      newMP: withReplicas(5),
      expectedReplicas: 5,
    },
    {
      name: 'if new MP does not have replicas set and no annotations, use 1',
      newMP: machinePool({}),
      expectedReplicas: 1,
    },
    {
      name: 'if new MP only has min size annotation, fallback to 1',
      newMP: withAnnotations({ [AUTOSCALER_MIN_SIZE_ANNOTATION]: '3' }),
      expectedReplicas: 1,
    },
    {
      name: 'if new MP only has max size annotation, fallback to 1',
      newMP: withAnnotations({ [AUTOSCALER_MAX_SIZE_ANNOTATION]: '7' }),
      expectedReplicas: 1,
    },
    {
      name: 'if new MP has min and max size annotation and min size is invalid, fail',
      newMP: withAnnotations({ [AUTOSCALER_MIN_SIZE_ANNOTATION]: 'abc', [AUTOSCALER_MAX_SIZE_ANNOTATION]: '7' }),
      expectErr: true,
    },
    {
      name: 'if new MP has min and max size annotation and max size is invalid, fail',
      newMP: withAnnotations({ [AUTOSCALER_MIN_SIZE_ANNOTATION]: '3', [AUTOSCALER_MAX_SIZE_ANNOTATION]: 'abc' }),
      expectErr: true,
    },
    {
      name: 'if new MP has min and max size annotation and new MP is a new MP, use min size',
      newMP: withAnnotations({ [AUTOSCALER_MIN_SIZE_ANNOTATION]: '3', [AUTOSCALER_MAX_SIZE_ANNOTATION]: '7' }),
      expectedReplicas: 3,
    },
    {
      name: 'if new MP has min and max size annotation and old MP doesn\'t have replicas set, use min size',
      newMP: withAnnotations({ [AUTOSCALER_MIN_SIZE_ANNOTATION]: '3', [AUTOSCALER_MAX_SIZE_ANNOTATION]: '7' }),
      oldMP: machinePool({}),
      expectedReplicas: 3,
    },
    {
      name: 'if new MP has min and max size annotation and old MP replicas is below min size, use min size',
      newMP: withAnnotations({ [AUTOSCALER_MIN_SIZE_ANNOTATION]: '3', [AUTOSCALER_MAX_SIZE_ANNOTATION]: '7' }),
      oldMP: withReplicas(1),
      expectedReplicas: 3,
    },
    {
      name: 'if new MP has min and max size annotation and old MP replicas is above max size, use max size',
      newMP: withAnnotations({ [AUTOSCALER_MIN_SIZE_ANNOTATION]: '3', [AUTOSCALER_MAX_SIZE_ANNOTATION]: '7' }),
      oldMP: withReplicas(15),
      expectedReplicas: 7,
    },
    {
      name: 'if new MP has min and max size annotation and old MP replicas is between min and max size, use old MP replicas',
      newMP: withAnnotations({ [AUTOSCALER_MIN_SIZE_ANNOTATION]: '3', [AUTOSCALER_MAX_SIZE_ANNOTATION]: '7' }),
      oldMP: withReplicas(4),
      expectedReplicas: 4,
    },
  ];

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    if (tt.expectErr) {
      expect(() => calculateMachinePoolReplicas(tt.oldMP, tt.newMP, false)).toThrow();
      return;
    }
    expect(calculateMachinePoolReplicas(tt.oldMP, tt.newMP, false)).toBe(tt.expectedReplicas);
  });
});

describe('TestMachinePoolBootstrapValidation', () => {
  const tests: Array<{ name: string; bootstrap: Bootstrap; expectErr: boolean }> = [
    {
      name: 'should return error if configref and data are nil',
      bootstrap: {},
      expectErr: true,
    },
    {
      name: 'should not return error if dataSecretName is set',
      bootstrap: { dataSecretName: 'test' },
      expectErr: false,
    },
    {
      name: 'should not return error if config ref is set',
      bootstrap: { configRef: { name: 'bootstrap1' } },
      expectErr: false,
    },
  ];

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    const mp = machinePool({ template: { spec: { bootstrap: tt.bootstrap } } });
    if (tt.expectErr) {
      expect(validateCreate(mp)).not.toEqual([]);
      expect(validateUpdate(mp, mp)).not.toEqual([]);
    } else {
      expect(validateCreate(mp)).toEqual([]);
      expect(validateUpdate(mp, mp)).toEqual([]);
    }
  });
});

describe('TestMachinePoolClusterNameImmutable', () => {
  const tests = [
    {
      name: 'when the cluster name has not changed',
      oldClusterName: 'foo',
      newClusterName: 'foo',
      expectErr: false,
    },
    {
      name: 'when the cluster name has changed',
      oldClusterName: 'foo',
      newClusterName: 'bar',
      expectErr: true,
    },
  ];

  const withClusterName = (clusterName: string): MachinePool => machinePool({
    clusterName,
    template: { spec: { clusterName, bootstrap: { configRef: { name: 'bootstrap' } } } },
  });

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    const errs = validateUpdate(withClusterName(tt.oldClusterName), withClusterName(tt.newClusterName));
    if (tt.expectErr) {
      expect(errs).not.toEqual([]);
    } else {
      expect(errs).toEqual([]);
    }
  });
});

describe('TestMachinePoolClusterNamesEqual', () => {
  const tests = [
    {
      name: 'clusterName fields are set to the same value',
      specClusterName: 'foo',
      specTemplateSpecClusterName: 'foo',
      expectErr: false,
    },
    {
      name: 'clusterName fields are set to different values',
      specClusterName: 'foo',
      specTemplateSpecClusterName: 'bar',
      expectErr: true,
    },
  ];

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    const ms = machinePool({
      clusterName: tt.specClusterName,
      template: { spec: { clusterName: tt.specTemplateSpecClusterName, bootstrap: { dataSecretName: 'data-secret' } } },
    });
    const errs = validateCreate(ms);
    if (tt.expectErr) {
      expect(errs).not.toEqual([]);
    } else {
      expect(errs).toEqual([]);
    }
  });
});

describe('TestMachinePoolVersionValidation', () => {
  // Upstream has two cases named "should return error when given an invalid semantic version"; jest runs both.
  const tests = [
    {
      name: 'should succeed version is a valid kube semver',
      expectErr: false,
      version: 'v1.23.3',
    },
    {
      name: 'should succeed version is a valid pre-release',
      expectErr: false,
      version: 'v1.19.0-alpha.1',
    },
    {
      name: 'should return error when given an invalid semantic version',
      version: 'v1.17.2++',
      expectErr: true,
    },
    {
      name: 'should return error when given an invalid semantic version',
      version: 'v1',
      expectErr: true,
    },
    {
      name: 'should fail if version is missing a v prefix',
      expectErr: true,
      version: '1.20.0',
    },
  ];

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    const mp = machinePool({ template: { spec: { bootstrap: { configRef: { name: 'bootstrap' } }, version: tt.version } } });
    if (tt.expectErr) {
      expect(validateCreate(mp)).not.toEqual([]);
      expect(validateUpdate(mp, mp)).not.toEqual([]);
    } else {
      expect(validateCreate(mp)).toEqual([]);
      expect(validateUpdate(mp, mp)).toEqual([]);
    }
  });
});

describe('TestMachinePoolMetadataValidation', () => {
  const tests = [
    {
      name: 'should return error for invalid labels and annotations',
      labels: {
        'foo': '$invalid-key',
        'bar': `${'a'.repeat(64)}too-long-value`,
        '/invalid-key': 'foo',
      },
      annotations: {
        '/invalid-key': 'foo',
      },
      expectErr: true,
    },
  ];

  test.each(tests.map((tt) => [tt.name, tt] as const))('%s', (_name, tt) => {
    const mp = machinePool({ template: { metadata: { labels: tt.labels, annotations: tt.annotations } } });
    if (tt.expectErr) {
      expect(validateCreate(mp)).not.toEqual([]);
      expect(validateUpdate(mp, mp)).not.toEqual([]);
    } else {
      expect(validateCreate(mp)).toEqual([]);
      expect(validateUpdate(mp, mp)).toEqual([]);
    }
  });
});
