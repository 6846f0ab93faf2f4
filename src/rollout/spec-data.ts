import { isPlainObject } from '../_json';
import { compareStrings } from '../_order';
import { AwsIdentity, AwsIdentityKind } from '../eks/aws-identity';
import { EksAddon } from '../eks/eks-addon';
import type { EksClusterSpecProps } from '../eks/eks-spec-props';
import { KubernetesVersion } from '../eks/kubernetes-version';

/**
 * A cluster spec as plain data, so that the revision a wave was released at can be kept in the rollout state file and
 * rendered again after the code has moved on. The library's value classes are written as data (a Kubernetes version
 * as its string, an add-on as `{ name, options }`, an identity as `{ kind, name }`) and read back by position;
 * functions (`network.vpcCidrForCluster`) are left out: they are not part of a revision, and a spec read back takes
 * them from the code's spec.
 */
export type SpecData = Record<string, unknown>;

/** `props` as data, keys sorted. Throws on a value the state file cannot hold (a class instance the library does not know). */
export function specToData(props: EksClusterSpecProps): SpecData {
  return encode(props, 'spec') as SpecData;
}

/**
 * The spec `data` describes, with the functions of `current` (the code's spec) where `data` has none. Throws when
 * `data` is not what `specToData` writes.
 */
export function specFromData(data: SpecData, current: EksClusterSpecProps): EksClusterSpecProps {
  const props: Record<string, unknown> = structuredClone(data);
  props.kubernetesVersion = versionFromData(props.kubernetesVersion, 'kubernetesVersion');
  if (isPlainObject(props.nodePools)) {
    for (const [name, pool] of Object.entries(props.nodePools)) {
      if (isPlainObject(pool) && pool.kubernetesVersion !== undefined) {
        pool.kubernetesVersion = versionFromData(pool.kubernetesVersion, `nodePools.${name}.kubernetesVersion`);
      }
    }
  }
  if (Array.isArray(props.addons)) {
    props.addons = props.addons.map((addon: unknown, i) => {
      if (!isPlainObject(addon) || typeof addon.name !== 'string') {
        throw new Error(`addons[${i}] is not { name, options }`);
      }
      return EksAddon.custom(addon.name, (addon.options ?? {}) as Record<string, unknown>);
    });
  }
  if (props.identity !== undefined) {
    const identity = props.identity as { kind?: unknown; name?: unknown };
    const factory = IDENTITY_FACTORIES[String(identity.kind)];
    if (factory === undefined || typeof identity.name !== 'string') {
      throw new Error(`identity kind "${String(identity.kind)}" is not one of ${Object.keys(IDENTITY_FACTORIES).join(', ')}`);
    }
    props.identity = factory(identity.name);
  }
  const vpcCidrForCluster = current.network?.vpcCidrForCluster;
  if (vpcCidrForCluster !== undefined && isPlainObject(props.network) && props.network.vpcCidr === undefined) {
    props.network = { ...props.network, vpcCidrForCluster };
  }
  return props as unknown as EksClusterSpecProps;
}

const IDENTITY_FACTORIES: Record<string, (name: string) => AwsIdentity> = {
  [AwsIdentityKind.CONTROLLER]: () => AwsIdentity.controller(),
  [AwsIdentityKind.ROLE]: (name) => AwsIdentity.role(name),
  [AwsIdentityKind.STATIC]: (name) => AwsIdentity.staticCredentials(name),
};

function versionFromData(value: unknown, at: string): KubernetesVersion {
  if (typeof value === 'string') {
    return KubernetesVersion.of(value);
  }
  const unlisted = value as { unlisted?: unknown } | undefined;
  if (typeof unlisted?.unlisted === 'string') {
    return KubernetesVersion.unlisted(unlisted.unlisted);
  }
  throw new Error(`${at} is not a Kubernetes version ("1.34", or { unlisted: "1.37" })`);
}

function encode(value: unknown, at: string): unknown {
  if (value instanceof KubernetesVersion) {
    return value.unlisted ? { unlisted: value.version } : value.version;
  }
  if (value instanceof EksAddon) {
    return { name: value.name, options: encode(value.options, `${at} (add-on ${value.name})`) };
  }
  if (value instanceof AwsIdentity) {
    return { kind: value.kind, name: value.name };
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => encode(item, `${at}[${i}]`));
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && typeof v !== 'function')
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([k, v]) => [k, encode(v, `${at}.${k}`)]);
    return Object.fromEntries(entries);
  }
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return value;
  }
  throw new Error(`${at} holds a ${typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value}, which a rollout cannot record`);
}
