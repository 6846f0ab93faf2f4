import type { IConstruct } from 'constructs';

/**
 * Bad input to a construct. The message starts with the construct path in brackets, the same form cdk8s uses for
 * `node.addValidation` failures, so every error names where in the user's code it comes from.
 */
export class ValidationError extends Error {
  constructor(message: string, scope: IConstruct) {
    super(`[${scope.node.path}] ${message}`);
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
