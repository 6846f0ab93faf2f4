import type { Text } from './model';
import type { LiveWorld } from './world';

/** One thing a controller (or `arlonctl register`) can do in a world, and the world after it. */
export interface Step {
  readonly label: Text;
  readonly world: LiveWorld;
  /** What kind of step it is, for the fixes a plan proposes (`sync`, `prune`, `finalizer`, `gc`, ...). */
  readonly tags: readonly string[];
}
