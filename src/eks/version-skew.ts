/** EKS supports nodes up to three minor versions older than the control plane (kubelet skew policy since 1.28). */
export const MAX_NODE_VERSION_SKEW = 3;
