import { App, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ValidationError, claimId, constructPath, libraryMessage } from '../src/_errors';
import { testFleet } from './support/fixtures';

describe('messages name a construct path, never an empty one', () => {
  test('the root is named by its class: the Fleet, or a cdk8s App', () => {
    const fleet = testFleet();
    expect(constructPath(fleet)).toBe('Fleet');
    expect(new ValidationError('boom', fleet).message).toBe('[Fleet] boom');
    expect(constructPath(Testing.app())).toBe('App');
    expect(constructPath(new Construct(fleet, 'child'))).toBe('child');
  });

  test('a validation registered on the fleet itself is reported under [Fleet]', () => {
    const fleet = testFleet();
    fleet.node.addValidation({ validate: () => ['something is missing'] });
    expect(() => fleet.renderFiles()).toThrow(/^Validation failed with the following errors:\n {2}\[Fleet\] something is missing$/);
  });

  test('a validation that throws is reported in the library\'s format, with its construct', () => {
    const fleet = testFleet();
    new Construct(fleet, 'Check').node.addValidation({ validate: () => { throw new Error('oops'); } });
    expect(() => fleet.renderFiles()).toThrow(/^\[Check\] a validation of this construct threw instead of returning its problems: oops; fix the validation/);
  });
});

describe('errors of the constructs library, in the library\'s format', () => {
  const thrown = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return libraryMessage(e);
    }
    throw new Error('did not throw');
  };

  test('a duplicate id under the root', () => {
    const app = new App();
    new Construct(app, 'a');
    expect(thrown(() => new Construct(app, 'a'))).toBe('[a] the id "a" is already taken: App has a child with that id; '
      + 'ids must be unique among a construct\'s children, so give one of them another id');
  });

  test('a duplicate id deeper down', () => {
    const app = new App();
    const parent = new Construct(app, 'parent');
    new Construct(parent, 'x');
    expect(thrown(() => new Construct(parent, 'x'))).toMatch(/^\[parent\/x\] the id "x" is already taken: Construct "parent" has a child with that id; /);
  });

  test('a construct added during synthesis', () => {
    const app = new App();
    app.node.lock();
    expect(thrown(() => new Construct(app, 'late'))).toMatch(/^\[Fleet\] a construct was added while the fleet was being synthesized/);
  });

  test('other messages pass as they are', () => {
    expect(libraryMessage(new Error('[a] cluster `name` ...'))).toBe('[a] cluster `name` ...');
    expect(libraryMessage('plain')).toBe('plain');
  });

  test('claimId names what holds the id, before constructs would refuse it', () => {
    const app = new App();
    new Construct(app, 'Bootstrap');
    expect(() => claimId(app, 'Bootstrap', 'profile')).toThrow(
      '[Bootstrap] profile id "Bootstrap" is already taken: App has a child with that id (one the library creates itself); ids must be unique');
    expect(claimId(app, 'free', 'profile')).toBe(app);
    // constructs turns "/" into "--"
    new Construct(app, 'a--b');
    expect(() => claimId(app, 'a/b', 'cluster')).toThrow(/^\[a\/b\] cluster id "a\/b" is already taken/);
  });
});
