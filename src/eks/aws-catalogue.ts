import * as fs from 'fs';
import * as path from 'path';
import { editDistance } from '../_props';

/**
 * The AWS regions and EC2 instance types the library knows, from `vendor/aws-catalogue.json`: an extract of the AWS
 * SDK for JavaScript v3 (`@aws-sdk/client-ec2`'s `_InstanceType` enum, `@aws-sdk/core`'s endpoint partitions) made
 * by `npx projen aws-catalogue` (vendor/SOURCES.md). Read once per process, on first use.
 */
interface CatalogueData {
  readonly source: Readonly<Record<string, string>>;
  readonly regions: Readonly<Record<string, readonly string[]>>;
  readonly instanceTypes: readonly string[];
}

interface Catalogue {
  readonly source: Readonly<Record<string, string>>;
  readonly regions: ReadonlySet<string>;
  readonly instanceTypes: ReadonlySet<string>;
}

let cached: Catalogue | undefined;

function catalogueFile(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'vendor', 'aws-catalogue.json');
    if (fs.existsSync(candidate)) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cdk8s-arlon: the AWS catalogue is missing (no vendor/aws-catalogue.json above ${__dirname}); reinstall the package`);
    }
  }
}

function catalogue(): Catalogue {
  if (cached === undefined) {
    const data = JSON.parse(fs.readFileSync(catalogueFile(), 'utf8')) as CatalogueData;
    cached = {
      source: data.source,
      regions: new Set(Object.values(data.regions).flat()),
      instanceTypes: new Set(data.instanceTypes),
    };
  }
  return cached;
}

/** Where one part of the catalogue comes from, for messages: the AWS SDK package and version it was extracted from. */
export function catalogueSource(part: 'regions' | 'instanceTypes'): string {
  const pkg = part === 'regions' ? '@aws-sdk/core' : '@aws-sdk/client-ec2';
  return `${pkg} ${catalogue().source[pkg]}`;
}

/** Whether `region` is a region of an AWS partition in the catalogue. */
export function isKnownRegion(region: string): boolean {
  return catalogue().regions.has(region);
}

/** Whether `instanceType` is an EC2 instance type in the catalogue. */
export function isKnownInstanceType(instanceType: string): boolean {
  return catalogue().instanceTypes.has(instanceType);
}

/** The known region closest to `region` (a typo's likely intent), or undefined when none is close. */
export function closestRegion(region: string): string | undefined {
  return closest(region, catalogue().regions);
}

/** The known instance type closest to `instanceType`, or undefined when none is close. */
export function closestInstanceType(instanceType: string): string | undefined {
  return closest(instanceType, catalogue().instanceTypes);
}

/**
 * The candidate at the smallest edit distance from `value` (Damerau-Levenshtein, optimal string alignment: a swap of
 * two neighbours is one edit), if it is at most 2 and less than a third of the value's length; ties go to the first
 * in sorted order, so the suggestion is stable.
 */
function closest(value: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(2, Math.ceil(value.length / 3) - 1);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of [...candidates].sort()) {
    if (Math.abs(candidate.length - value.length) >= bestDistance) {
      continue;
    }
    const distance = editDistance(value, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
