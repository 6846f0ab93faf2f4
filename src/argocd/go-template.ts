/**
 * Strings for ApplicationSet templates. With `goTemplate: true`, Argo CD renders every string of an ApplicationSet's
 * template, and every map key, as a Go template (`applicationset/utils/utils.go`, `deeplyReplace`), so text from
 * the user (a description, a path, a sync option) must reach the Application as written: each `{{` in it becomes the
 * action `{{"{{"}}`, which prints `{{`. Only the library's own parameters are real actions.
 */

/** `text` as a Go template that renders to exactly `text`. */
export function goTemplateLiteral(text: string): string {
  return text.replace(/\{\{/g, '{{"{{"}}');
}

/** Every string and map key of `value` made literal (see `goTemplateLiteral`); other values are kept. */
export function literalDeep<T>(value: T): T {
  if (typeof value === 'string') {
    return goTemplateLiteral(value) as T;
  }
  if (Array.isArray(value)) {
    return value.map(literalDeep) as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [goTemplateLiteral(k), literalDeep(v)])) as T;
  }
  return value;
}

/** A Go template action that prints the generator parameter `name`, e.g. `{{.cluster}}`. */
export function parameter(name: string): string {
  return `{{.${name}}}`;
}
