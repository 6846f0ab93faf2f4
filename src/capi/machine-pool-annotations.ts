// Apart from the NodePool construct: the plan's transition checker reads them without loading cdk8s and the bindings.
/**
 * Annotations of Cluster API v1.14 (`api/core/v1beta2/common_types.go`) for MachinePools whose replicas an
 * autoscaler owns. `replicas-managed-by` makes CAPA copy the node group's desired size back into the MachinePool
 * instead of pushing its own (`pkg/cloud/services/eks/nodegroup.go`). The min and max size annotations are what
 * Cluster API's defaulting webhook reads when `replicas` is unset: with **both**, a new pool starts at the minimum;
 * with either missing it starts at 1 (`calculateMachinePoolReplicas`), which EKS refuses below a `minSize` above 1.
 */
export const REPLICAS_MANAGED_BY = 'cluster.x-k8s.io/replicas-managed-by';
export const AUTOSCALER_MIN_SIZE = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
export const AUTOSCALER_MAX_SIZE = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';
