import type { FeatureGates } from './feature-gates';

/** A controller of the management plane whose gates the fleet relies on. */
export type GatedComponent = 'clusterApi' | 'capa';

/** A feature gate the fleet's objects cannot work without, and why. */
export interface GateRequirement {
  readonly component: GatedComponent;
  readonly gate: string;
  readonly because: string;
}

/** What the management plane must provide, read from what the fleet emits and states. */
export interface FleetNeeds {
  /** Kinds of the objects the fleet emits, e.g. `MachinePool`, `AWSManagedControlPlane`. */
  readonly kinds: ReadonlySet<string>;
  /** `management.capaFeatureGates.eksEnableIam`: the fleet's output relies on CAPA creating IAM roles. */
  readonly eksEnableIam: boolean;
}

const OPTION_OF: Record<GatedComponent, string> = { clusterApi: 'clusterApiFeatureGates', capa: 'capaFeatureGates' };
const NAME_OF: Record<GatedComponent, string> = { clusterApi: 'Cluster API', capa: 'CAPA' };

/**
 * The gates the fleet relies on. CAPA v2.11.1 registers the EKS controllers only with `EKS`, and the
 * AWSManagedMachinePool controller and webhook only with `MachinePool` (`setupEKSReconcilersAndWebhooks`, `main.go`);
 * Cluster API v1.14.0 reconciles MachinePools only with its own `MachinePool` gate (`main.go`, `feature/feature.go`);
 * with `EKSEnableIAM` CAPA creates the control plane and node group roles and the OIDC provider.
 */
export function gateRequirements(needs: FleetNeeds): GateRequirement[] {
  const requirements: GateRequirement[] = [];
  if (needs.kinds.has('AWSManagedControlPlane')) {
    requirements.push({ component: 'capa', gate: 'EKS', because: 'the fleet\'s EKS control planes (AWSManagedControlPlane)' });
  }
  if (needs.kinds.has('MachinePool') || needs.kinds.has('AWSManagedMachinePool')) {
    const because = 'the fleet\'s node pools (MachinePool, AWSManagedMachinePool)';
    requirements.push({ component: 'clusterApi', gate: 'MachinePool', because }, { component: 'capa', gate: 'MachinePool', because });
  }
  if (needs.eksEnableIam) {
    requirements.push({
      component: 'capa',
      gate: 'EKSEnableIAM',
      because: '`management.capaFeatureGates.eksEnableIam` (CAPA creates the IAM roles and the OIDC provider of every cluster)',
    });
  }
  return requirements;
}

/** Problems for gates the fleet relies on that the management plane's settings turn off, or a combination CAPA refuses. */
export function gateProblems(requirements: readonly GateRequirement[], effective: Readonly<Record<GatedComponent, FeatureGates>>): string[] {
  const problems = requirements.filter((r) => effective[r.component][r.gate] !== true).map((r) =>
    `${NAME_OF[r.component]} feature gate ${r.gate} is off in \`managementPlane.${OPTION_OF[r.component]}\`, but ${r.because} need it; `
      + `remove \`${r.gate}: false\`, or change the fleet so it does not rely on it`);
  // `setupEKSReconcilersAndWebhooks` exits: "cannot use EKSAllowAddRoles flag without EKSEnableIAM".
  if (effective.capa.EKSAllowAddRoles === true && effective.capa.EKSEnableIAM !== true) {
    problems.push('CAPA feature gate EKSAllowAddRoles is on without EKSEnableIAM, and CAPA v2.11.1 exits at start with '
      + '"cannot use EKSAllowAddRoles flag without EKSEnableIAM"; set `management.capaFeatureGates.eksEnableIam: true` on the Fleet, or drop EKSAllowAddRoles');
  }
  return problems;
}

/** The gates to give the operator for one component: every required one, then the user's. */
export function gatesToSet(component: GatedComponent, requirements: readonly GateRequirement[], given: FeatureGates = {}): FeatureGates {
  const required = Object.fromEntries(requirements.filter((r) => r.component === component).map((r) => [r.gate, true]));
  return sortedGates({ ...required, ...given });
}

function sortedGates(gates: FeatureGates): FeatureGates {
  return Object.fromEntries(Object.entries(gates).sort(([a], [b]) => (a < b ? -1 : 1)));
}
