/**
 * The cases of argoproj/argo-cd v3.5.1, `applicationset/utils/utils_test.go`, `TestRenderTemplateParamsGoTemplate`
 * that the Go template port can run, transcribed with upstream's names, templates, parameters, options and expected
 * values or error messages. Shared by ./go-template.test.ts (the template alone, through `renderGoTemplate`) and
 * ./argocd-applicationset.test.ts (the whole `RenderTemplateParams`, over upstream's eight Application fields).
 *
 * Left out, because the port does not implement what they need: "loop" (`range`), "toYaml" and "toYaml Error"
 * (`toYaml`, `indent`), "fromYaml" and "fromYaml error" (`fromYaml`, `get`), "fromYamlArray" and "fromYamlArray error"
 * (`fromYamlArray`, `last`).
 */

export interface RenderTemplateParamsCase {
  readonly name: string;
  readonly fieldVal: string;
  readonly params: Record<string, unknown>;
  readonly expectedVal: string;
  /** Upstream's message, which `Render.Replace` prefixes with `failed to parse template <t>: ` or `failed to execute go template <t>: `. */
  readonly errorMessage?: string;
  readonly templateOptions?: readonly string[];
}

const image = { replicas: 3, image: { name: 'busybox', version: 'latest' } };
const hpa = (enabled: boolean) => ({ replicas: 3, hpa: { enabled, minReplicas: 1, maxReplicas: 5 } });

export const RENDER_TEMPLATE_PARAMS_GO_TEMPLATE: readonly RenderTemplateParamsCase[] = [
  { name: 'simple substitution', fieldVal: '{{ .one }}', expectedVal: 'two', params: { one: 'two' } },
  { name: 'simple substitution with whitespace', fieldVal: '{{ .one }}', expectedVal: 'two', params: { one: 'two' } },
  { name: 'template contains itself, containing itself', fieldVal: '{{ .one }}', expectedVal: '{{one}}', params: { one: '{{one}}' } },
  { name: 'template contains itself, containing something else', fieldVal: '{{ .one }}', expectedVal: '{{two}}', params: { one: '{{two}}' } },
  { name: 'multiple on a line', fieldVal: '{{.one}}{{.one}}', expectedVal: 'twotwo', params: { one: 'two' } },
  { name: 'multiple different on a line', fieldVal: '{{.one}}{{.three}}', expectedVal: 'twofour', params: { one: 'two', three: 'four' } },
  {
    name: 'multiple different on a line with quote',
    fieldVal: '{{.one}} {{.three}}',
    expectedVal: '"hello" world four',
    params: { one: '"hello" world', three: 'four' },
  },
  { name: 'depth', fieldVal: '{{ .image.version }}', expectedVal: 'latest', params: image },
  { name: 'multiple depth', fieldVal: '{{ .image.name }}:{{ .image.version }}', expectedVal: 'busybox:latest', params: image },
  {
    name: 'if ok',
    fieldVal: '{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}',
    expectedVal: '5',
    params: hpa(true),
  },
  {
    name: 'if not ok',
    fieldVal: '{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}',
    expectedVal: '3',
    params: hpa(false),
  },
  {
    name: 'Index',
    fieldVal: '{{ index .admin "admin-ca" }}, {{ index .admin "admin-jks" }}',
    expectedVal: 'value admin ca, value admin jks',
    params: { admin: { 'admin-ca': 'value admin ca', 'admin-jks': 'value admin jks' } },
  },
  {
    name: 'Index',
    fieldVal: String.raw`{{ index .admin "admin-ca" }}, \\ "Hello world", {{ index .admin "admin-jks" }}`,
    expectedVal: String.raw`value "admin" ca with \, \\ "Hello world", value admin jks`,
    params: { admin: { 'admin-ca': 'value "admin" ca with \\', 'admin-jks': 'value admin jks' } },
  },
  { name: 'quote', fieldVal: '{{.quote}}', expectedVal: '"', params: { quote: '"' } },
  { name: 'Test No Data', fieldVal: '{{.data}}', expectedVal: '{{.data}}', params: {} },
  {
    name: 'Test Parse Error',
    fieldVal: '{{functiondoesnotexist}}',
    expectedVal: '',
    params: { data: 'a data string' },
    errorMessage: 'failed to parse template {{functiondoesnotexist}}: template: base:1: function "functiondoesnotexist" not defined',
  },
  {
    name: 'Test template error',
    fieldVal: '{{.data.test}}',
    expectedVal: '',
    params: { data: 'a data string' },
    errorMessage: 'failed to execute go template {{.data.test}}: template: base:1:7: executing "base" at <.data.test>: '
      + 'can\'t evaluate field test in type interface {}',
  },
  {
    name: 'lookup missing value with missingkey=default',
    fieldVal: '--> {{.doesnotexist}} <--',
    expectedVal: '--> <no value> <--',
    params: { unused: 'this is not used' },
  },
  {
    name: 'lookup missing value with missingkey=error',
    fieldVal: '--> {{.doesnotexist}} <--',
    expectedVal: '',
    params: { unused: 'this is not used' },
    templateOptions: ['missingkey=error'],
    errorMessage: 'failed to execute go template --> {{.doesnotexist}} <--: template: base:1:6: executing "base" at <.doesnotexist>: '
      + 'map has no entry for key "doesnotexist"',
  },
];
