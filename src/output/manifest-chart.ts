import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

const MANIFEST_CHART_SYMBOL = Symbol.for('cdk8s-arlon.ManifestChart');

/** Properties of a `ManifestChart`. */
export interface ManifestChartProps {
  /** Folder inside `dist/` that receives this chart's objects, one file each (see `DistLayout`). */
  readonly folder: string;
  /**
   * Lets the chart's objects hold values that look like credentials (an inline bundle with `allowSecrets`); every
   * other object is refused at synth when one does.
   *
   * @default false
   */
  readonly allowSecrets?: boolean;
}

/**
 * A chart whose objects are written into one folder of `dist/`. Object names are always set explicitly by the
 * library, and hashes are disabled as a backstop: these names are contracts with Cluster API and Argo CD.
 */
export class ManifestChart extends Chart {
  /** Whether `x` is a `ManifestChart` (works across copies of the library). */
  public static isManifestChart(x: unknown): x is ManifestChart {
    return x !== null && typeof x === 'object' && MANIFEST_CHART_SYMBOL in x;
  }

  /** Folder inside `dist/` for this chart's objects. */
  public readonly folder: string;
  /** Whether its objects may hold values that look like credentials (see `ManifestChartProps.allowSecrets`). */
  public readonly allowSecrets: boolean;

  constructor(scope: Construct, id: string, props: ManifestChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    Object.defineProperty(this, MANIFEST_CHART_SYMBOL, { value: true });
    this.folder = props.folder;
    this.allowSecrets = props.allowSecrets ?? false;
  }
}
