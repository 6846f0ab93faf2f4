/**
 * Cluster API's Cluster admission webhook: a port of kubernetes-sigs/cluster-api v1.14.0,
 * `core/webhooks/admission/cluster.go` (`validate`, `validateCIDRBlocks`). The managed-topology branch
 * (`validateTopology`, ClusterClass variables) is not ported: the library never emits `spec.topology`, and the
 * harness refuses a Cluster that has one rather than pass it unchecked.
 */
import { forbidden, invalid, type FieldError } from './field-errors';
import { cidrProblem } from './go-net';
import { isValidLabelValue } from './k8s-validation';

interface Ref { apiGroup?: string; kind?: string; name?: string }

/** A Cluster as JSON, with the fields the webhook reads. */
export interface CapiClusterObject {
  metadata: { name?: string; namespace?: string };
  spec?: {
    infrastructureRef?: Ref;
    controlPlaneRef?: Ref;
    topology?: Record<string, unknown>;
    clusterNetwork?: { pods?: { cidrBlocks?: string[] }; services?: { cidrBlocks?: string[] } };
    [field: string]: unknown;
  };
}

/** `Topology.IsDefined` (api/core/v1beta2/cluster_types.go): anything but an empty topology. */
const topologyDefined = (topology: Record<string, unknown> | undefined): boolean => topology !== undefined && Object.keys(topology).length > 0;

/** `ContractVersionedObjectReference.IsDefined`: any field set. */
const isDefined = (ref: Ref | undefined): boolean => ref !== undefined && [ref.apiGroup, ref.kind, ref.name].some((v) => (v ?? '') !== '');

/** `validate`: on create (`oldCluster` undefined) and update. */
export function validateCluster(oldCluster: CapiClusterObject | undefined, newCluster: CapiClusterObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = newCluster.metadata.name ?? '';
  for (const message of isValidLabelValue(name)) {
    errs.push(invalid('metadata.name', name, `must be a valid label value ${message}`));
  }
  const spec = newCluster.spec ?? {};
  const oldSpec = oldCluster?.spec ?? {};
  if (topologyDefined(spec.topology)) {
    throw new Error(`Cluster ${name} has spec.topology, whose validation (ClusterClass lookups) this port does not cover`);
  }
  if (!isDefined(spec.infrastructureRef) && oldCluster !== undefined && isDefined(oldSpec.infrastructureRef)) {
    errs.push(forbidden('spec.infrastructureRef', 'cannot be removed'));
  }
  if (!isDefined(spec.controlPlaneRef) && !isDefined(spec.infrastructureRef)) {
    errs.push(forbidden('spec', 'one of spec.controlPlaneRef, spec.infrastructureRef or spec.topology must be set'));
  }
  if (!isDefined(spec.controlPlaneRef) && oldCluster !== undefined && isDefined(oldSpec.controlPlaneRef)) {
    errs.push(forbidden('spec.controlPlaneRef', 'cannot be removed'));
  }
  for (const [key, cidrs] of [['pods', spec.clusterNetwork?.pods?.cidrBlocks], ['services', spec.clusterNetwork?.services?.cidrBlocks]] as const) {
    (cidrs ?? []).forEach((cidr, i) => {
      const problem = cidrProblem(cidr);
      if (problem !== undefined) {
        errs.push(invalid(`spec.clusterNetwork.${key}.cidrBlocks[${i}]`, cidr, problem));
      }
    });
  }
  if (oldCluster !== undefined && topologyDefined(oldSpec.topology) && !topologyDefined(spec.topology)) {
    errs.push(forbidden('spec.topology', 'cannot be removed from an existing Cluster'));
  }
  return errs;
}
