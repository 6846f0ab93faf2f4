import type { IConstruct } from 'constructs';

/**
 * How a message names a construct: its path, or for the root (whose path is empty) its class, e.g. `Fleet`, so that no
 * message shows an empty `[]`.
 */
export function constructPath(scope: IConstruct): string {
  return scope.node.path !== '' ? scope.node.path : scope.constructor.name;
}

/**
 * Bad input to a construct. The message starts with the construct path in brackets, the same form cdk8s uses for
 * `node.addValidation` failures, so every error names where in the user's code it comes from.
 */
export class ValidationError extends Error {
  /** @param scope the construct, or the path of one that could not be created (see `claimId`) */
  constructor(message: string, scope: IConstruct | string) {
    super(`[${typeof scope === 'string' ? scope : constructPath(scope)}] ${message}`);
    this.name = 'ValidationError';
  }
}

/** Throws one `ValidationError` listing every problem, or does nothing when there is none. */
export function throwIfInvalid(problems: readonly string[], scope: IConstruct): void {
  if (problems.length === 1) {
    throw new ValidationError(problems[0], scope);
  }
  if (problems.length > 1) {
    throw new ValidationError(`${problems.length} problems:\n  - ${problems.join('\n  - ')}`, scope);
  }
}

/**
 * `scope`, after checking that it has no child with id `id` yet: constructs would refuse the id with a bare "There is
 * already a Construct with name ..."; this says which construct, what holds the id, and the fix. For the constructors
 * of the library's constructs: `super(claimId(scope, id, 'cluster'), id)`.
 *
 * @param what the construct as the user knows it ("cluster", "profile")
 * @param hint what else to say (e.g. that the cluster's name can stay as it is)
 */
export function claimId<T extends IConstruct>(scope: T, id: string, what: string, hint = ''): T {
  // constructs replaces "/" in ids with "--"
  const existing = scope.node.tryFindChild(id.replace(/\//g, '--'));
  if (existing !== undefined) {
    const path = scope.node.path === '' ? id : `${scope.node.path}/${id}`;
    throw new ValidationError(`${what} id "${id}" is already taken: ${constructPath(scope)} has a child with that id (${describeConstruct(existing)}); `
      + `ids must be unique among a construct's children, so give this ${what} another id${hint}`, path);
  }
  return scope;
}

/** The constructs users create; any other child of a fleet is one the library creates itself (`Bootstrap`, `InlineBundles`, ...). */
const USER_CONSTRUCTS = new Set(['Cluster', 'ExternalCluster', 'Profile', 'EksClusterSpec', 'RolloutPolicy']);

function describeConstruct(construct: IConstruct): string {
  const kind = construct.constructor.name;
  return USER_CONSTRUCTS.has(kind) ? `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}` : 'one the library creates itself';
}

const DUPLICATE_ID = /^There is already a Construct with name '(.*)' in (\S+)(?: \[(.*)\])?$/;
const LOCKED = /^Cannot add children (?:to "(.*)" )?during synthesis$/;

/**
 * The message of an error raised by the constructs library itself (a duplicate id in code that made a construct
 * directly, an escape hatch that adds a construct during synthesis), in the library's format: where, what, the fix.
 * Other messages are returned as they are.
 */
export function libraryMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const duplicate = DUPLICATE_ID.exec(message);
  if (duplicate !== null) {
    const [, id, kind, parent] = duplicate;
    // constructs names the parent by its id only: the path is exact for children of the root and of its children.
    return `[${parent === undefined || parent === '' ? id : `${parent}/${id}`}] the id "${id}" is already taken: ${kind}${parent ? ` "${parent}"` : ''} has a child with that id; `
      + 'ids must be unique among a construct\'s children, so give one of them another id';
  }
  const locked = LOCKED.exec(message);
  if (locked !== null) {
    return `[${locked[1] ?? 'Fleet'}] a construct was added while the fleet was being synthesized (from a validation or a Lazy); `
      + 'add every construct while building the fleet, before `synth()`';
  }
  return message;
}
