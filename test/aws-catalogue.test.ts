import * as fs from 'fs';
import * as path from 'path';
import { awsCatalogue } from '../projenrc/aws-catalogue';
import { closestInstanceType, closestRegion, isKnownInstanceType, isKnownRegion } from '../src/eks/aws-catalogue';

describe('the AWS catalogue (vendor/aws-catalogue.json)', () => {
  test('is what the pinned AWS SDK packages give: regenerate it with `npx projen aws-catalogue` after upgrading them', () => {
    const vendored = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'vendor', 'aws-catalogue.json'), 'utf8'));
    expect(vendored).toEqual(awsCatalogue());
  });

  test('knows the regions of every partition and the instance types of every family the library classifies', () => {
    for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1', 'eusc-de-east-1']) {
      expect(isKnownRegion(region)).toBe(true);
    }
    expect(isKnownRegion('aws-global')).toBe(false);
    for (const type of ['m6i.large', 'm7g.large', 'c7gn.2xlarge', 'g5.xlarge', 'p5.48xlarge', 'inf2.xlarge', 'trn1.2xlarge', 'a1.large']) {
      expect(isKnownInstanceType(type)).toBe(true);
    }
    expect(isKnownInstanceType('m5.larg')).toBe(false);
  });

  test('suggests the closest known value for a typo, and nothing for a value far from all', () => {
    expect(closestInstanceType('m5.larg')).toBe('m5.large');
    expect(closestInstanceType('m5.lrage')).toBe('m5.large');
    expect(closestInstanceType('c6g.xlarg')).toBe('c6g.xlarge');
    expect(closestInstanceType('banana.split')).toBeUndefined();
    expect(closestRegion('us-esat-1')).toBe('us-east-1');
    expect(closestRegion('eu-west-9')).toBe('eu-west-1');
    expect(closestRegion('mars-north-1')).toBeUndefined();
  });
});
