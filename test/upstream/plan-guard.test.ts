/**
 * `arlonctl plan` must block at least every change the update webhooks refuse. The list of refused changes is not
 * written down here: a probe makes every small change it can to real objects of the example fleet (see
 * `mutations.ts`), runs each through the ported webhooks (CAPA v2.11.1 AWSManagedControlPlane and
 * AWSManagedMachinePool, Cluster API v1.14.0 MachinePool and Cluster), and every change they refuse must be blocked
 * by the plan computed from the two `dist/` trees.
 */
import * as YAML from 'yaml';
import { defaultControlPlane, type ManagedControlPlane } from './capa-controlplane-webhook';
import { schemaDefaultAt, type StructuralSchema } from './crd-defaulting';
import { describeErrors } from './field-errors';
import { ManagementCluster } from './management-cluster';
import { mutationsOf } from './mutations';
import { buildExampleFleet } from '../../example/fleet';
import type { KubeObject } from '../../src/kube/types';
import { readDistFiles, type ParseMemo } from '../../src/operations/dist-fleet';
import { IMMUTABLE_FIELDS } from '../../src/operations/immutable-fields';
import { computePlan } from '../../src/operations/plan';
import { DistLayout } from '../../src/output/layout';
import { GENERATED_HEADER } from '../../src/output/render';
import { CrdSchemas } from '../support/crd-schemas';

const schemas = new CrdSchemas();
const management = new ManagementCluster({ capaGates: { EKSEnableIAM: true, MachinePool: true }, schemas });
const files = buildExampleFleet({ outdir: '/nonexistent' }).renderFiles();
/**
 * Each distinct file text parsed once for every fleet read here, as `arlonctl plan` parses its two commits: a probe
 * changes one file, and the plan then compares that file alone (the same parsed object means the same text).
 */
const parsed: ParseMemo = new Map();
const manifest = (file: string) => YAML.parse(files.get(file)!) as KubeObject;
/** The fleet's files with one object changed, as a synth would write it. */
const withFile = (file: string, obj: KubeObject) => new Map([...files, [file, `${GENERATED_HEADER}\n${YAML.stringify(obj)}`]]);

/** prod-euw1 as dist/ records it: its objects are named after its Cluster API cluster (`<fleet>--prod-euw1`). */
const prod = readDistFiles(files, 'example', parsed).clusters.find((c) => c.name === 'prod-euw1')!;
const fileOf = (kind: string, name: string) => `${DistLayout.clusterDir(prod.name)}/${DistLayout.fileName(kind, name)}`;
const CP = fileOf('AWSManagedControlPlane', prod.controlPlaneName!);
const POOL = fileOf('AWSManagedMachinePool', `${prod.capiName!}-workers`);
const MACHINE_POOL = fileOf('MachinePool', `${prod.capiName!}-workers`);
const CLUSTER = fileOf('Cluster', prod.capiName!);
const spec = (obj: KubeObject) => obj.spec as Record<string, unknown>;

/** The objects probed: as the library emits them, and with the fields users can add through escape hatches. */
const PROBED: ReadonlyArray<[string, string, KubeObject]> = [
  ['the control plane', CP, manifest(CP)],
  ['the control plane with encryption and a secondary CIDR', CP, {
    ...manifest(CP),
    spec: {
      ...spec(manifest(CP)),
      encryptionConfig: { provider: 'arn:aws:kms:eu-west-1:111122223333:key/probe', resources: ['secrets'] },
      secondaryCidrBlock: '100.64.0.0/16',
    },
  }],
  ['a managed pool', POOL, manifest(POOL)],
  ['a managed pool with the creation-time fields set', POOL, {
    ...manifest(POOL),
    spec: {
      ...spec(manifest(POOL)),
      roleName: 'acme-nodes',
      subnetIDs: ['subnet-0123456789abcdef0'],
      availabilityZones: ['eu-west-1a'],
      availabilityZoneSubnetType: 'private',
      remoteAccess: { sshKeyName: 'acme-prod-ops', public: false },
    },
  }],
  ['a managed pool with a launch template', POOL, {
    ...manifest(POOL),
    spec: { ...Object.fromEntries(Object.entries(spec(manifest(POOL))).filter(([k]) => k !== 'instanceType' && k !== 'diskSize')), awsLaunchTemplate: { name: 'probe' } },
  }],
  ['a MachinePool', MACHINE_POOL, manifest(MACHINE_POOL)],
  ['the Cluster', CLUSTER, manifest(CLUSTER)],
];

interface Refused { readonly what: string; readonly path: string; readonly change: string; readonly why: string; readonly blocked: boolean }

const refused: Refused[] = PROBED.flatMap(([what, file, base]) => {
  const schema = schemas.schemaOf(base.apiVersion, base.kind) as StructuralSchema;
  const baseFleet = readDistFiles(withFile(file, base), 'base', parsed);
  // The managed topology (ClusterClass) is outside the ported Cluster webhook; the library never emits it.
  return mutationsOf(base, schema, ['spec.topology']).flatMap((mutation) => {
    const refusals = management.updateRefusals(base, mutation.manifest as KubeObject);
    if (refusals.length === 0) {
      return [];
    }
    const plan = computePlan(baseFleet, readDistFiles(withFile(file, mutation.manifest as KubeObject), 'changed', parsed));
    return [{ what, path: mutation.path, change: mutation.change, why: describeErrors(refusals), blocked: plan.blocked }];
  });
});

test('every change the update webhooks refuse is blocked by the plan', () => {
  expect(refused.filter((r) => !r.blocked).map((r) => `${r.what}: ${r.path} ${r.change} is refused (${r.why}) but the plan lets it through`)).toEqual([]);
});

test('the probe finds what the webhooks refuse, among them what the plan used to miss', () => {
  const paths = new Set(refused.map((r) => r.path.replace(/\[\d+\]/g, '[]')));
  for (const path of [
    'spec.eksClusterName', 'spec.region', 'spec.version', 'spec.accessConfig', 'spec.accessConfig.authenticationMode', 'spec.encryptionConfig',
    'spec.encryptionConfig.provider', 'spec.network.vpc.ipv6',
    'spec.amiType', 'spec.diskSize', 'spec.capacityType', 'spec.roleName', 'spec.subnetIDs', 'spec.availabilityZones',
    'spec.availabilityZoneSubnetType', 'spec.remoteAccess', 'spec.awsLaunchTemplate', 'spec.awsLaunchTemplate.name', 'spec.eksNodegroupName',
    'spec.clusterName',
  ]) {
    expect(paths).toContain(path);
  }
  // a control plane version going down, and an authentication mode moving back, in the webhooks' own words
  expect(refused).toContainEqual(expect.objectContaining({ path: 'spec.version', change: '"v1.33" -> "v1.32"', why: expect.stringContaining('new version less than old version') }));
  expect(refused).toContainEqual(expect.objectContaining({
    path: 'spec.accessConfig.authenticationMode', change: '"api_and_config_map" -> "config_map"', why: expect.stringContaining('downgrading authentication mode'),
  }));
});

test('changes CAPA accepts but never applies are blocked too: a node group\'s instance type', () => {
  const base = manifest(POOL);
  const changed = { ...base, spec: { ...spec(base), instanceType: 'm6i.4xlarge' } };
  expect(management.updateRefusals(base, changed)).toEqual([]);
  const plan = computePlan(readDistFiles(files, 'base', parsed), readDistFiles(withFile(POOL, changed), 'changed', parsed));
  expect(plan.clusters[0].items).toContainEqual(expect.objectContaining({
    message: `AWSManagedMachinePool ${prod.capiName!}-workers .spec.instanceType: m6i.2xlarge -> m6i.4xlarge`,
    blocked: expect.objectContaining({ rule: 'immutable-field' }),
  }));
});

test('changes the webhooks accept and CAPA carries out in place are not blocked', () => {
  const pool = manifest(POOL);
  const cp = manifest(CP);
  for (const [file, changed] of [
    [POOL, { ...pool, spec: { ...spec(pool), scaling: { minSize: 6, maxSize: 40 }, labels: { 'node-role': 'batch' } } }],
    [CP, { ...cp, spec: { ...spec(cp), accessConfig: { authenticationMode: 'api' }, upgradePolicy: 'standard', additionalTags: { team: 'platform' } } }],
  ] as const) {
    expect(management.updateRefusals(manifest(file), changed)).toEqual([]);
    expect(computePlan(readDistFiles(files, 'base', parsed), readDistFiles(withFile(file, changed), 'changed', parsed)).blocked).toBe(false);
  }
});

test('what the plan takes an unset field to be is what the API server stores: the CRD\'s default, or the webhook\'s', () => {
  const defaulted = IMMUTABLE_FIELDS.filter((f) => f.stored !== undefined);
  expect(defaulted.length).toBeGreaterThan(0);
  const apiVersions: Record<string, string> = {
    AWSManagedControlPlane: 'controlplane.cluster.x-k8s.io/v1beta2', AWSManagedMachinePool: 'infrastructure.cluster.x-k8s.io/v1beta2',
  };
  for (const field of defaulted) {
    const fromSchema = schemaDefaultAt(schemas.schemaOf(apiVersions[field.kind], field.kind) as StructuralSchema, field.path);
    const webhook: ManagedControlPlane = { metadata: { name: 'x', namespace: 'x' }, spec: {} };
    defaultControlPlane(webhook);
    const fromWebhook = field.kind === 'AWSManagedControlPlane' ? (webhook.spec as Record<string, unknown>)[field.path.replace(/^\.spec\./, '')] : undefined;
    expect({ path: field.path, stored: fromSchema ?? fromWebhook }).toEqual({ path: field.path, stored: field.stored });
  }
});
