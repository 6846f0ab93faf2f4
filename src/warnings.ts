import type { IConstruct } from 'constructs';

/** The metadata type warnings are stored under on a construct's node (like aws-cdk's `aws:cdk:warning`). */
export const WARNING_METADATA = 'cdk8s-arlon:warning';

/** One warning: where it was reported, and what it says. */
export interface FleetWarning {
  /** The path of the construct the warning is about, as in error messages (`''` for the fleet itself). */
  readonly path: string;
  /** The warning: the value, why it is suspicious, and what to do if it is a mistake. */
  readonly message: string;
}

/**
 * Warnings about input that is valid but suspicious, such as an instance type newer than the library's catalogue,
 * accepted because the code says so. They fail nothing: the synth prints them on stderr with the construct path
 * (`warning: [prod-use1] ...`), and `FleetTesting.synth(fleet).warnings` lists them so a fleet's tests can assert
 * them. Modelled on the aws-cdk's `Annotations.of(scope).addWarning()`, they are stored as metadata of the
 * construct's node, so they travel with the construct tree.
 *
 * @example
 *   Warnings.of(cluster).add('`nodePools.gpu.maxSize` (600) is past the default EKS quota of 450 nodes per node group');
 */
export class Warnings {
  /** The warnings of `scope`. */
  public static of(scope: IConstruct): Warnings {
    return new Warnings(scope);
  }

  /** Every warning under `root` (itself included), in construct tree order, each once per construct. */
  public static collect(root: IConstruct): FleetWarning[] {
    return root.node.findAll().flatMap((construct) => Warnings.of(construct).messages.map((message) => ({ path: construct.node.path, message })));
  }

  /** The lines the synth prints for the warnings under `root`: `warning: [<path>] <message>`. */
  public static format(warnings: readonly FleetWarning[]): string[] {
    return warnings.map((w) => `warning: [${w.path}] ${w.message}`);
  }

  private constructor(private readonly scope: IConstruct) {}

  /** The warnings added to this construct, in order. */
  public get messages(): string[] {
    return this.scope.node.metadata.filter((entry) => entry.type === WARNING_METADATA).map((entry) => String(entry.data));
  }

  /** Adds a warning to the construct; a message it already carries is not added twice. */
  public add(message: string): void {
    if (!this.messages.includes(message)) {
      this.scope.node.addMetadata(WARNING_METADATA, message);
    }
  }
}
