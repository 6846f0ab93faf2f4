import { Construct } from 'constructs';
import { toGenerated } from './_enum';
import { AUTOSCALER_MAX_SIZE, AUTOSCALER_MIN_SIZE, REPLICAS_MANAGED_BY } from './machine-pool-annotations';
import { refOf } from './refs';
import type { ResolvedNodePool } from '../eks/resolve';
import * as l1 from '../l1';

/** Properties of a `NodePool`. */
export interface NodePoolProps {
  /** The pool with every default applied. */
  readonly pool: ResolvedNodePool;
  /** Name of the CAPI Cluster the pool joins. */
  readonly clusterName: string;
  /** Namespace of the cluster's objects on the management cluster. */
  readonly namespace: string;
  /** Labels for both objects. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations for both objects. */
  readonly annotations: Readonly<Record<string, string>>;
  /** EC2 key pair for SSH access to the nodes. */
  readonly sshKeyName?: string;
  /**
   * Whether an autoscaler owns the replica count: the MachinePool then carries no `replicas` and is marked so CAPA
   * leaves the node group's desired size to the autoscaler (within `minSize`..`maxSize`).
   */
  readonly autoscaled?: boolean;
}

export { AUTOSCALER_MAX_SIZE, AUTOSCALER_MIN_SIZE, REPLICAS_MANAGED_BY } from './machine-pool-annotations';

/**
 * An EKS managed node group: a CAPI `MachinePool` (replicas and Kubernetes version) backed by a CAPA
 * `AWSManagedMachinePool` (instance type, scaling bounds, capacity type, disk, AMI, labels, taints). Both are named
 * `<cluster>-<pool>`, which is also the EKS node group name.
 */
export class NodePool extends Construct {
  /** The CAPI MachinePool (escape hatch). */
  public readonly machinePool: l1.CapiMachinePool;
  /** The CAPA AWSManagedMachinePool (escape hatch). */
  public readonly awsManagedMachinePool: l1.AwsManagedMachinePool;
  /** The pool as synthesized. */
  public readonly pool: ResolvedNodePool;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const { pool } = props;
    this.pool = pool;
    const name = `${props.clusterName}-${pool.name}`;
    const metadata = { name, namespace: props.namespace, labels: { ...props.labels }, annotations: { ...props.annotations } };

    this.awsManagedMachinePool = new l1.AwsManagedMachinePool(this, 'Infrastructure', {
      metadata,
      spec: {
        eksNodegroupName: name,
        instanceType: pool.instanceType,
        scaling: { minSize: pool.minSize, maxSize: pool.maxSize },
        capacityType: toGenerated(l1.AwsManagedMachinePoolCapacityType, pool.capacityType),
        diskSize: pool.diskSizeGiB,
        // Always explicit: CAPA's CRD would default an unset AMI type to AL2_x86_64, which EKS no longer offers.
        amiType: toGenerated(l1.AwsManagedMachinePoolAmiType, pool.amiType),
        // CAPA v2.11.1 `reconcileNodegroupVersion` (pkg/cloud/services/eks/nodegroup.go) sends it with UpdateNodegroupVersion
        // whenever the node group runs another release; `createNodegroup` never sends it (EKS creates at the newest).
        amiVersion: pool.amiReleaseVersion,
        labels: Object.keys(pool.labels).length === 0 ? undefined : { ...pool.labels },
        taints: pool.taints.length === 0 ? undefined : pool.taints.map((t) => ({
          key: t.key, value: t.value, effect: toGenerated(l1.AwsManagedMachinePoolTaintEffect, t.effect),
        })),
        remoteAccess: props.sshKeyName === undefined ? undefined : { sshKeyName: props.sshKeyName },
      },
    });

    this.machinePool = new l1.CapiMachinePool(this, 'Resource', {
      metadata: props.autoscaled
        ? {
          ...metadata,
          annotations: {
            ...metadata.annotations,
            [REPLICAS_MANAGED_BY]: 'external-autoscaler',
            [AUTOSCALER_MIN_SIZE]: String(pool.minSize),
            [AUTOSCALER_MAX_SIZE]: String(pool.maxSize),
          },
        }
        : metadata,
      spec: {
        clusterName: props.clusterName,
        replicas: props.autoscaled ? undefined : pool.desiredSize,
        template: {
          spec: {
            clusterName: props.clusterName,
            // EKS bootstraps managed nodes itself: CAPI needs an empty data secret name, not a bootstrap config.
            bootstrap: { dataSecretName: '' },
            infrastructureRef: refOf(this.awsManagedMachinePool),
            version: pool.kubernetesVersion.machinePoolVersion,
          },
        },
      },
    });
  }
}
