import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { DistFile } from './dist-file';
import { GENERATED_HEADER } from './generated-header';
import { DistLayout } from './layout';
import { ManifestChart } from './manifest-chart';
import { dataKey, inputKey } from './render-key';
import { unsafeDistPathProblem } from './safe-path';
import { allowedCredentialTexts, describeFindings, findCredentials } from '../_credentials';
import { constructPath, libraryMessage, ValidationError } from '../_errors';
import { LargeTextMemo } from '../_large-memo';

export { GENERATED_HEADER } from './generated-header';

/** The same YAML options as cdk8s' `Yaml.stringify`, so files read like any cdk8s output. */
const YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

const largeRenders = new LargeTextMemo<string>();

/** The YAML of an object; a large one (the management plane's CRDs) is rendered once per process, kept by its JSON. */
function yamlOf(json: unknown): string {
  return largeRenders.get(JSON.stringify(json) ?? '', () => YAML.stringify(json, YAML_OPTIONS));
}

/**
 * Runs every construct's validations once, the way `App.synth()` does, and throws one error listing them all.
 * Messages get the construct path in brackets, as in cdk8s.
 */
export function validateTree(root: IConstruct): void {
  const errors: string[] = [];
  for (const construct of root.node.findAll()) {
    let messages: string[];
    try {
      messages = construct.node.validate();
    } catch (e) {
      throw foreignError(e, construct);
    }
    for (const message of messages) {
      errors.push(`[${constructPath(construct)}] ${message}`);
    }
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
}

/**
 * Where `renderEach` sends files: each with the function that gives its render key (undefined when it has none; see
 * `render-key.ts`) and the function that renders its content. A sink calls each only if it needs it: one that keeps
 * every file (`renderFiles`) never computes a key, one with a render cache renders only what the key says changed.
 */
export interface RenderSink {
  /** Whether `file` was sent already (two objects would write the same file). */
  has(file: string): boolean;
  add(file: string, key: () => string | undefined, render: () => string): void;
}

/**
 * Sends every `ApiObject` under `root` to `sink`, one at a time, as its file: `<chart folder>/<Kind>.<name>.yaml`, and
 * every `DistFile` as its path. Linear in the number of objects: each is serialized at most once by its own `toJson()`,
 * unlike `App.synth()`, which re-validates the whole app for every chart; an object whose key the sink finds unchanged
 * is not serialized at all. Runs every validation first.
 */
export function renderEach(root: IConstruct, sink: RenderSink): void {
  validateTree(root);
  for (const construct of root.node.findAll()) {
    if (DistFile.isDistFile(construct)) {
      throwIfUnsafe(construct, construct.path);
      if (sink.has(construct.path)) {
        throw new ValidationError(`a second file would overwrite ${construct.path}`, construct);
      }
      const data = construct.data();
      sink.add(construct.path, () => dataKey(data, construct.allowSecrets), () => {
        throwIfCredentials(construct, construct.path, data, construct.allowSecrets);
        return `${GENERATED_HEADER}\n${YAML.stringify(data, YAML_OPTIONS)}`;
      });
      continue;
    }
    if (!ApiObject.isApiObject(construct)) {
      continue;
    }
    const chart = construct.chart;
    if (!ManifestChart.isManifestChart(chart)) {
      throw new ValidationError(`${construct.kind} "${construct.name}" is in chart "${constructPath(chart)}", which has no folder in dist/; `
        + 'create objects inside a cluster or fleet construct (or a ManifestChart) so they have a place in the layout', construct);
    }
    const file = `${chart.folder}/${DistLayout.fileName(construct.kind, construct.name)}`;
    throwIfUnsafe(construct, file);
    if (sink.has(file)) {
      throw new ValidationError(`a second ${construct.kind} named "${construct.name}" would overwrite ${file}; give one of them another name`, construct);
    }
    // toJson() runs at most once, whether the key, the content or both need it
    let json: { readonly value: unknown } | undefined;
    const toJson = () => (json ??= { value: objectJson(construct) }).value;
    // An object whose rendering depends on more than its props (a Lazy, a patch, a class of its own) is keyed by its JSON.
    const key = () => inputKey(construct, chart.allowSecrets) ?? dataKey(toJson(), chart.allowSecrets);
    sink.add(file, key, () => {
      throwIfCredentials(construct, file, toJson(), chart.allowSecrets);
      return `${GENERATED_HEADER}\n${yamlOf(toJson())}`;
    });
  }
}

/** The JSON of `object`; when cdk8s cannot render it (a JSON patch whose path does not exist), a message in the library's format. */
function objectJson(object: ApiObject): unknown {
  try {
    return object.toJson();
  } catch (e) {
    throw foreignError(e, object);
  }
}

/**
 * An error raised by cdk8s or constructs while the library validates or renders `construct`, in the library's
 * format: the construct path, what failed, and the fix. The library's own errors pass as they are.
 */
function foreignError(error: unknown, construct: IConstruct): Error {
  if (error instanceof ValidationError) {
    return error;
  }
  const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  const serializing = /^Failed serializing construct at path '[^']*' with name '[^']*': (.*)$/s.exec(message);
  if (serializing !== null || ApiObject.isApiObject(construct)) {
    const what = ApiObject.isApiObject(construct) ? `${construct.kind} "${construct.name}"` : 'the object';
    return new ValidationError(`${what} could not be rendered: ${serializing?.[1] ?? message}; if a JSON patch was added to it (\`addJsonPatch\`), `
      + 'check its path: `JsonPatch.add` needs every segment but the last to exist, `replace` and `remove` need the whole path; '
      + 'compare with the object in dist/', construct);
  }
  return new ValidationError(`a validation of this construct threw instead of returning its problems: ${libraryMessage(error)}; `
    + 'fix the validation added with `node.addValidation` (it should return a list of messages)', construct);
}

/** Renders every object under `root` into memory, keyed by path inside dist/ (see `renderEach`). */
export function renderFiles(root: IConstruct): Map<string, string> {
  const files = new Map<string, string>();
  renderEach(root, { has: (file) => files.has(file), add: (file, _key, render) => files.set(file, render()) });
  return files;
}

/** Refuses a file that would land outside its folder of `dist/` (an object name such as `../../x`). */
function throwIfUnsafe(construct: IConstruct, file: string): void {
  const problem = unsafeDistPathProblem(file);
  if (problem !== undefined) {
    throw new ValidationError(`its file in dist/, ${JSON.stringify(file)}, ${problem}, so it could land outside its folder; object names become `
      + 'file names, so give it a valid Kubernetes name (lowercase letters, digits, "-" and ".")', construct);
  }
}

/**
 * Refuses data that holds a credential, whatever put it there (props, values, tags, add-on configuration, an escape
 * hatch): by its format (a private key, an AWS access key id, a token, a webhook URL, a URL with a password) or by
 * the key it is under (`password`, `apiKey`, ...), in any field, in JSON held in a string too. The message says
 * which file, which field and which rule, never the value, and how to fix it.
 */
function throwIfCredentials(construct: IConstruct, file: string, data: unknown, allowed: boolean): void {
  if (allowed) {
    return;
  }
  const found = findCredentials(data, { allowed: allowedCredentialTexts(construct) });
  if (found.length === 0) {
    return;
  }
  const inBundle = file.startsWith(`${DistLayout.bundleDir('')}`);
  throw new ValidationError(`${file} would hold what looks like a secret at ${describeFindings(found.slice(0, 5))}`
    + `${found.length > 5 ? ` and ${found.length - 5} more` : ''}; dist/ is committed to git, so secrets never go there: keep it in a Secret on the `
    + 'cluster, filled by External Secrets (an ExternalSecret) or the AWS Secrets Manager CSI driver, and reference it; repository credentials go '
    + 'to Argo CD through `arlonctl deploy --repo-username ...`; '
    + (inBundle ? 'if it is not a secret, set `allowSecrets: true` on the bundle that carries it'
      : 'if it is not a secret, rename the key (or, for a value that only looks like a credential, carry it in a bundle with `allowSecrets: true`)'),
  construct);
}
