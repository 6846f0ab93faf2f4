import { isPlainObject } from './_json';

/**
 * Pure checks of single values. Each returns a problem sentence (lowercase, value quoted, what is allowed, the fix)
 * or `undefined` when the value is fine, so callers can collect every problem before throwing once.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// Commercial, GovCloud, ISO, China and European Sovereign Cloud regions: us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1.
const AWS_REGION = /^[a-z]{2,4}(-gov|-iso[a-z]?|-[a-z]{2})?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9]$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** A best-effort DNS-1123 label made from `value`, for "try ..." hints. */
export function suggestDnsLabel(value: string): string {
  const label = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return label || 'my-name';
}

/** `what` is the prop as the user wrote it, e.g. "`name`". */
export function checkDnsLabel(what: string, value: string, maxLength = 63): string | undefined {
  if (value.length <= maxLength && DNS_LABEL.test(value)) {
    return undefined;
  }
  const hint = suggestDnsLabel(value).slice(0, maxLength).replace(/-+$/, '');
  return `${what} "${value}" must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most ${maxLength} characters); try "${hint}"`;
}

export function checkKubernetesLabels(what: string, labels: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) || name.length > 63 || !LABEL_NAME.test(name)) {
      found.push(`${what} key "${key}" is not a valid Kubernetes label key (optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit); e.g. "team" or "example.com/team"`);
    }
    if (typeof value !== 'string' || value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
      found.push(`${what} "${key}" has value "${value}", which is not a valid Kubernetes label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)`);
    }
  }
  return found;
}

/** The characters CAPA's `Tags.Validate` allows in tag keys and values (CAPA v2.11.1 `api/v1beta2/tags.go`). */
const AWS_TAG_TEXT = /^[a-zA-Z0-9\s_.:=+\-@/]*$/;

/** AWS tags as CAPA's webhooks accept them: at most 50, keys of 1 to 128 and values of at most 256 of `AWS_TAG_TEXT`. */
export function checkAwsTags(what: string, tags: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  const entries = Object.entries(tags);
  if (entries.length > 50) {
    found.push(`${what} has ${entries.length} tags; AWS and CAPA allow at most 50 user tags per resource`);
  }
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith('aws:') || !AWS_TAG_TEXT.test(key)) {
      found.push(`${what} key "${key}" is not a valid AWS tag key (1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with "aws:")`);
    }
    if (typeof value !== 'string' || value.length > 256 || !AWS_TAG_TEXT.test(value)) {
      found.push(`${what} "${key}" has a value that is not a string of at most 256 letters, digits, spaces and _ . : / = + - @`);
    }
  }
  return found;
}

export function checkRegion(what: string, value: string): string | undefined {
  if (typeof value === 'string' && AWS_REGION.test(value)) {
    return undefined;
  }
  return `${what} "${value}" is not an AWS region code (e.g. "us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"); use the code, not the display name`;
}

export function checkInstanceType(what: string, value: string): string | undefined {
  if (typeof value === 'string' && INSTANCE_TYPE.test(value)) {
    return undefined;
  }
  return `${what} "${value}" is not an EC2 instance type (family and size separated by a dot, e.g. "m6i.large" or "c7g.2xlarge")`;
}

/** A prop documented as a map that is not a plain object (an array, a string, a number, a class instance). */
export function checkPlainMap(what: string, value: unknown, example: string): string | undefined {
  if (value === undefined || isPlainObject(value)) {
    return undefined;
  }
  return `${what} must be a map (a plain object such as ${example}), but it is ${describeValue(value)}`;
}

/** What `value` is, for messages: "an array", "the string \"x\"", "the number 3", "a Date". */
export function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `an array (${JSON.stringify(value).slice(0, 60)})`;
  }
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  }
  if (typeof value === 'object') {
    return `a ${(value as object).constructor?.name ?? 'class instance'} (a class instance, not a plain object)`;
  }
  return typeof value === 'function' ? 'a function' : `the ${typeof value} ${String(value)}`;
}

/** IPv4 CIDR with a prefix length in [minPrefix, maxPrefix] (a VPC allows /16 to /28). */
export function checkIpv4Cidr(what: string, value: string, minPrefix = 0, maxPrefix = 32): string | undefined {
  const match = IPV4_CIDR.exec(value);
  const octetsOk = match !== null && match.slice(1, 5).every((octet) => Number(octet) <= 255);
  const prefix = match ? Number(match[5]) : -1;
  if (!octetsOk || prefix < minPrefix || prefix > maxPrefix) {
    return `${what} "${value}" must be an IPv4 CIDR block with a prefix length from /${minPrefix} to /${maxPrefix}, e.g. "10.0.0.0/16"`;
  }
  const octets = match!.slice(1, 5);
  const canonical = canonicalIpv4Cidr(octets.map(Number), prefix);
  if (octets.some((octet) => octet.length > 1 && octet.startsWith('0')) || /^0\d/.test(match![5])) {
    return `${what} "${value}" has leading zeros, which some tools read as octal (010 is 8) and others as decimal; write "${canonical}"`;
  }
  if (canonical !== value) {
    return `${what} "${value}" has host bits set: a /${prefix} block starts at ${canonical.split('/')[0]}, so the block it names is "${canonical}"; `
      + `write "${canonical}" (or give the prefix length you meant)`;
  }
  return undefined;
}

/** `a.b.c.d/n` with the host bits cleared and no leading zeros. */
function canonicalIpv4Cidr(octets: readonly number[], prefix: number): string {
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const network = address - (address % 2 ** (32 - prefix));
  return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${prefix}`;
}

export function checkAwsId(what: string, value: string, prefix: 'vpc' | 'subnet'): string | undefined {
  if (new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(value)) {
    return undefined;
  }
  return `${what} "${value}" is not a ${prefix} ID (${prefix}- followed by 8 or 17 hexadecimal digits, e.g. "${prefix}-0123456789abcdef0")`;
}

export function checkInteger(what: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): string | undefined {
  if (Number.isInteger(value) && value >= min && value <= max) {
    return undefined;
  }
  const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
  return `${what} (${value}) must be a whole number ${range}`;
}

/** Keeps the defined problems of a list of checks. */
export function problems(...results: Array<string | undefined | string[]>): string[] {
  return results.flatMap((r) => (r === undefined ? [] : Array.isArray(r) ? r : [r]));
}
