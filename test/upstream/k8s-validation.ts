/**
 * The generic object-metadata checks the API server applies to every object, custom resources included, and that
 * Cluster API's webhooks reuse: ports of kubernetes/apimachinery v0.36.3
 * `pkg/util/validation/validation.go` (`IsQualifiedName`, `IsValidLabelValue`, `IsDNS1123Subdomain`),
 * `pkg/apis/meta/v1/validation/validation.go` (`ValidateLabels`) and `pkg/api/validation/objectmeta.go`
 * (`ValidateAnnotations`, `TotalAnnotationSizeLimitB`).
 */
import { invalid, type FieldError } from './field-errors';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** `content.MaxLenError`: Go's `len` counts bytes, and the message says so. */
const maxLenError = (length: number): string => `must be no more than ${length} bytes`;

/** All annotations of one object together: keys and values, in bytes. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

/** `IsDNS1123Subdomain`. */
export function isDns1123Subdomain(value: string): string[] {
  return [
    ...(Buffer.byteLength(value) > 253 ? [maxLenError(253)] : []),
    ...(DNS1123_SUBDOMAIN.test(value) ? [] : ['a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character']),
  ];
}

/** `IsQualifiedName`: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function isQualifiedName(value: string): string[] {
  const parts = value.split('/');
  let name = parts[0];
  const errs: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      errs.push('prefix part must be non-empty');
    } else {
      errs.push(...isDns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
    }
  } else if (parts.length > 2) {
    return ['a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and \'/\''];
  }
  if (name.length === 0) {
    errs.push('name part must be non-empty');
  } else if (Buffer.byteLength(name) > 63) {
    errs.push(`name part ${maxLenError(63)}`);
  }
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) {
    errs.push('name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character');
  }
  return errs;
}

/** `IsValidLabelValue`. */
export function isValidLabelValue(value: string): string[] {
  return [
    ...(Buffer.byteLength(value) > 63 ? [maxLenError(63)] : []),
    ...(LABEL_VALUE.test(value) ? [] : ['a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character']),
  ];
}

/** `ValidateLabels`. */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined, path: string): FieldError[] {
  return Object.entries(labels ?? {}).flatMap(([key, value]) => [
    ...isQualifiedName(key).map((m) => invalid(path, key, m)),
    ...isValidLabelValue(value).map((m) => invalid(path, value, m)),
  ]);
}

/** `ValidateAnnotations`: qualified-name keys (case-insensitive) and the total size limit. */
export function validateAnnotations(annotations: Readonly<Record<string, string>> | undefined, path: string): FieldError[] {
  const entries = Object.entries(annotations ?? {});
  const size = entries.reduce((total, [k, v]) => total + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return [
    ...entries.flatMap(([key]) => isQualifiedName(key.toLowerCase()).map((m) => invalid(path, key, m))),
    ...(size > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES ? [invalid(path, '', `Too long: may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT_BYTES} bytes`)] : []),
  ];
}
