import { buildExampleFleet } from '../../example/fleet';
import type { Fleet, KubernetesVersion } from '../../src';

/** The fleet the README's "Test your fleet" example tests: the example fleet, without its management plane (kept out of the snapshots). */
export function buildFleet(options: { readonly devVersion?: KubernetesVersion } = {}): Fleet {
  return buildExampleFleet({ managementPlane: undefined }, { devKubernetesVersion: options.devVersion });
}
