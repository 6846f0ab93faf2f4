/**
 * The shape of `k8s.io/apimachinery/pkg/util/validation/field` errors (`field.Invalid`, `field.Required`,
 * `field.Forbidden`), which every ported webhook returns, so the ports compare with upstream's tables field by field.
 */
export type FieldErrorType = 'Invalid' | 'Required' | 'Forbidden';

/** One `*field.Error`: the path, the kind of error and the detail message upstream writes. */
export interface FieldError {
  readonly type: FieldErrorType;
  /** The field path as upstream prints it, e.g. `spec.scaling.maxSize`. */
  readonly field: string;
  readonly detail: string;
  readonly value?: unknown;
}

export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'Invalid', field, detail, value });
export const required = (field: string, detail: string): FieldError => ({ type: 'Required', field, detail });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail });

/** How the API server prints a refusal: `<field>: <detail>` lines. */
export function describeErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.type === 'Invalid' && e.value !== undefined ? `Invalid value: ${JSON.stringify(e.value)}: ` : ''}${e.detail}`).join('; ');
}
