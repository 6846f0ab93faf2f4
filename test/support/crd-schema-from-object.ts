import { createHash } from 'crypto';
import { CrdSchemas, type KubeObject } from './crd-schemas';

/**
 * Validators by the content of the CRD's spec, for every server of the process: each test's server stores the same
 * CRDs afresh, and compiling a schema costs far more than hashing it.
 */
const bySpec = new Map<string, CrdSchemas>();

/**
 * Validates custom resources against the `openAPIV3Schema` of a CustomResourceDefinition **object** (one stored in
 * the fake API server), with the machinery and rules of {@link CrdSchemas} (unknown fields are errors, CEL rules it
 * cannot evaluate fail loudly, metadata is checked separately). As kube-apiserver does, `apiVersion`, `kind` and
 * `metadata` are allowed at the root even when the schema does not declare them.
 */
export class CrdObjectSchemas {
  private readonly cache = new Map<string, { readonly version: string; readonly schemas: CrdSchemas }>();

  /** Every problem of `obj` against `crd` (empty when valid), as {@link CrdSchemas.validate} reports them. */
  public validate(crd: KubeObject, obj: KubeObject): string[] {
    return this.schemasOf(crd).validate(obj);
  }

  /** The validator of one CRD object, cached until its spec changes (its uid or `metadata.generation`). */
  public schemasOf(crd: KubeObject): CrdSchemas {
    const key = crd.metadata.name;
    const version = `${String(crd.metadata.uid ?? '')}/${String(crd.metadata.generation ?? '')}`;
    const cached = this.cache.get(key);
    if (cached?.version === version) {
      return cached.schemas;
    }
    const spec = createHash('sha256').update(JSON.stringify(crd.spec ?? null)).digest('hex');
    let schemas = bySpec.get(spec);
    if (schemas === undefined) {
      schemas = new CrdSchemas([withImplicitRootFields(crd)]);
      bySpec.set(spec, schemas);
    }
    this.cache.set(key, { version, schemas });
    return schemas;
  }
}

interface Version {
  schema?: { openAPIV3Schema?: Record<string, unknown> };
}

function withImplicitRootFields(crd: KubeObject): KubeObject {
  const copy = structuredClone(crd);
  const versions = ((copy.spec as { versions?: Version[] } | undefined)?.versions ?? []);
  for (const version of versions) {
    const schema = version.schema?.openAPIV3Schema ?? { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    schema.properties = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...properties,
    };
    version.schema = { ...version.schema, openAPIV3Schema: schema };
  }
  return copy;
}
