import { Construct } from 'constructs';

const DIST_FILE_SYMBOL = Symbol.for('cdk8s-arlon.DistFile');

/** Properties of a `DistFile`. */
export interface DistFileProps {
  /** Path inside `dist/`, e.g. `bundles/wordpress/values.yaml`. */
  readonly path: string;
  /** The file's data, written as YAML with sorted keys; read when the fleet is synthesized. */
  readonly data: () => Record<string, unknown>;
  /**
   * Lets the file hold values that look like credentials (the values of a bundle with `allowSecrets`).
   *
   * @default false
   */
  readonly allowSecrets?: boolean;
}

/**
 * A YAML file of `dist/` that is not a Kubernetes object, such as a Helm values file that Argo CD reads from the
 * fleet repository. Written with the generated header like every other file, so the writer owns it.
 */
export class DistFile extends Construct {
  /** Whether `x` is a `DistFile` (works across copies of the library). */
  public static isDistFile(x: unknown): x is DistFile {
    return x !== null && typeof x === 'object' && DIST_FILE_SYMBOL in x;
  }

  public readonly path: string;
  /** Whether the file may hold values that look like credentials. */
  public readonly allowSecrets: boolean;
  private readonly produce: () => Record<string, unknown>;

  constructor(scope: Construct, id: string, props: DistFileProps) {
    super(scope, id);
    Object.defineProperty(this, DIST_FILE_SYMBOL, { value: true });
    this.path = props.path;
    this.allowSecrets = props.allowSecrets ?? false;
    this.produce = props.data;
  }

  /** The file's data, keys sorted at every level so the file never changes with the order code set them in. */
  public data(): Record<string, unknown> {
    return sortKeys(this.produce()) as Record<string, unknown>;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
