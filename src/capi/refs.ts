import type { ApiObject } from 'cdk8s';

/** A Cluster API v1beta2 object reference (`{apiGroup, kind, name}`), taken from the referenced object itself. */
export interface ContractReference {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

/** The reference to `target`, built from the object so names and kinds can never drift apart. */
export function refOf(target: ApiObject): ContractReference {
  return { apiGroup: target.apiGroup, kind: target.kind, name: target.name };
}
