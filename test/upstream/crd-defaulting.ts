/**
 * Structural schema defaulting as the API server applies it to custom resources, before any webhook sees them: a
 * faithful port of `Default` in kubernetes/apiextensions-apiserver v0.36.3,
 * `pkg/apiserver/schema/defaulting/algorithm.go` (unchanged since v0.33). A property with a `default` that is absent
 * (or null where the schema does not allow null) gets a deep copy of the default; then defaulting descends into every
 * property present, into `additionalProperties` values and into array items. Defaults never create a missing parent
 * object: `spec.scaling.minSize` is defaulted only when `spec.scaling` exists.
 */

/** The parts of an OpenAPI v3 schema that defaulting reads. */
export interface StructuralSchema {
  readonly properties?: Readonly<Record<string, StructuralSchema>>;
  readonly additionalProperties?: StructuralSchema | boolean;
  readonly items?: StructuralSchema;
  readonly default?: unknown;
  readonly nullable?: boolean;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const isNonNullableNull = (x: unknown, s: StructuralSchema | undefined): boolean => x === null && s !== undefined && s.nullable !== true;

/** Applies the schema's defaults to `x` in place (`x` is JSON: objects, arrays and scalars). */
export function applyDefaults(x: unknown, s: StructuralSchema | undefined): void {
  if (s === undefined) {
    return;
  }
  if (isObject(x)) {
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      if (prop.default === undefined) {
        continue;
      }
      if (!(key in x) || isNonNullableNull(x[key], prop)) {
        x[key] = structuredClone(prop.default);
      }
    }
    const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    for (const key of Object.keys(x)) {
      const prop = s.properties?.[key];
      if (prop !== undefined) {
        applyDefaults(x[key], prop);
      } else if (additional !== undefined) {
        if (isNonNullableNull(x[key], additional) && additional.default !== undefined) {
          x[key] = structuredClone(additional.default);
        }
        applyDefaults(x[key], additional);
      }
    }
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], s.items) && s.items?.default !== undefined) {
        x[i] = structuredClone(s.items.default);
      }
      applyDefaults(x[i], s.items);
    }
  }
}

/** The default the schema declares at a dotted path such as `spec.amiType` (undefined when none). */
export function schemaDefaultAt(schema: StructuralSchema, path: string): unknown {
  let node: StructuralSchema | undefined = schema;
  for (const key of path.split('.').filter((k) => k !== '')) {
    node = node?.properties?.[key];
  }
  return node?.default;
}
