/**
 * Port of kubernetes/apiextensions-apiserver v0.36.3, `pkg/apiserver/schema/defaulting/algorithm_test.go`
 * (TestDefault), run against the ported `applyDefaults` of ./crd-defaulting.ts.
 *
 * Upstream's `structuralschema.Structural` maps onto the port's `StructuralSchema` as: `Generic.Default` → `default`,
 * `Generic.Nullable` → `nullable`, `AdditionalProperties.Structural` → `additionalProperties` (a schema) and
 * `AdditionalProperties.Bool` → `additionalProperties: true`. The inputs and expectations are upstream's JSON texts,
 * parsed with `JSON.parse` as upstream parses them with `json.Unmarshal`.
 */
import { applyDefaults, type StructuralSchema } from './crd-defaulting';

describe('TestDefault', () => {
  const tests: Array<[string, string, StructuralSchema | undefined, string]> = [
    ['empty', 'null', undefined, 'null'],
    ['scalar', '4', { default: 'foo' }, '4'],
    ['scalar array', '[1,2]', { items: { default: 'foo' } }, '[1,2]'],
    ['object array', '[{"a":1},{"b":1},{"c":1}]', {
      items: {
        properties: {
          a: { default: 'A' },
          b: { default: 'B' },
          c: { default: 'C' },
        },
      },
    }, '[{"a":1,"b":"B","c":"C"},{"a":"A","b":1,"c":"C"},{"a":"A","b":"B","c":1}]'],
    ['object array object', '{"array":[{"a":1},{"b":2}],"object":{"a":1},"additionalProperties":{"x":{"a":1},"y":{"b":2}}}', {
      properties: {
        array: {
          items: {
            properties: {
              a: { default: 'A' },
              b: { default: 'B' },
            },
          },
        },
        object: {
          properties: {
            a: { default: 'N' },
            b: { default: 'O' },
          },
        },
        additionalProperties: {
          additionalProperties: {
            properties: {
              a: { default: 'alpha' },
              b: { default: 'beta' },
            },
          },
        },
        foo: { default: 'bar' },
      },
    }, '{"array":[{"a":1,"b":"B"},{"a":"A","b":2}],"object":{"a":1,"b":"O"},"additionalProperties":{"x":{"a":1,"b":"beta"},"y":{"a":"alpha","b":2}},"foo":"bar"}'],
    ['empty and null', '[{},{"a":1},{"a":0},{"a":0.0},{"a":""},{"a":null},{"a":[]},{"a":{}}]', {
      items: {
        properties: {
          a: { default: 'A' },
        },
      },
    }, '[{"a":"A"},{"a":1},{"a":0},{"a":0.0},{"a":""},{"a":"A"},{"a":[]},{"a":{}}]'],
    ['null in nullable list', '[null]', {
      nullable: true,
      items: {
        properties: {
          a: { default: 'A' },
        },
      },
    }, '[null]'],
    ['null in non-nullable list', '[null]', {
      nullable: false,
      items: { default: 'A' },
    }, '["A"]'],
    ['null in nullable object', '{"a": null}', {
      properties: {
        a: { nullable: true, default: 'A' },
      },
    }, '{"a": null}'],
    ['null in non-nullable object', '{"a": null}', {
      properties: {
        a: { nullable: false, default: 'A' },
      },
    }, '{"a": "A"}'],
    ['null in nullable object with additionalProperties', '{"a": null}', {
      additionalProperties: { nullable: true, default: 'A' },
    }, '{"a": null}'],
    ['null in non-nullable object with additionalProperties', '{"a": null}', {
      additionalProperties: { nullable: false, default: 'A' },
    }, '{"a": "A"}'],
    ['null unknown field', '{"a": null}', {
      additionalProperties: true,
    }, '{"a": null}'],
  ];

  test.each(tests)('%s', (_name, json, schema, expected) => {
    const input: unknown = JSON.parse(json);
    applyDefaults(input, schema);
    expect(input).toStrictEqual(JSON.parse(expected));
  });
});
