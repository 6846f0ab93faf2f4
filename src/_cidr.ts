/** IPv4 CIDR arithmetic for the library's network checks (the values are already known to be well-formed CIDRs). */

/** An IPv4 block: its first address as an unsigned 32-bit number and its prefix length. */
export interface Ipv4Block {
  readonly network: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n` (host bits are cleared), or undefined when it is not an IPv4 CIDR. */
export function parseIpv4Block(cidr: string): Ipv4Block | undefined {
  const match = CIDR.exec(cidr);
  if (match === null || match.slice(1, 5).some((octet) => Number(octet) > 255) || Number(match[5]) > 32) {
    return undefined;
  }
  const prefix = Number(match[5]);
  const address = match.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return { network: address - (address % 2 ** (32 - prefix)), prefix };
}

/** Whether every address of `inner` lies in `outer`. */
export function blockContains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.prefix >= outer.prefix && inner.network - (inner.network % 2 ** (32 - outer.prefix)) === outer.network;
}

/** Whether two blocks share an address. */
export function blocksOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return blockContains(a, b) || blockContains(b, a);
}

export function formatIpv4Block(block: Ipv4Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.network / 2 ** shift) % 256);
  return `${octets.join('.')}/${block.prefix}`;
}

/** RFC 1918, shared address space (RFC 6598), loopback and link-local: addresses that never reach a public endpoint. */
export const NON_PUBLIC_BLOCKS: readonly Ipv4Block[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16']
  .map((cidr) => parseIpv4Block(cidr)!);

/**
 * The `netnum`-th block of `newbits` more prefix bits inside `base`, as Terraform's `cidrsubnet(prefix, newbits,
 * netnum)` computes it: `cidrSubnet('10.0.0.0/8', 8, 3)` is `10.3.0.0/16`. For giving each cluster of a fleet its own
 * VPC block from a number kept with the cluster (see `EksNetworkOptions.vpcCidrForCluster`).
 *
 * @throws when `base` is not an IPv4 CIDR or `netnum` does not fit in `newbits`
 */
export function cidrSubnet(base: string, newbits: number, netnum: number): string {
  const block = parseIpv4Block(base);
  if (block === undefined) {
    throw new Error(`cidrSubnet: "${base}" is not an IPv4 CIDR block such as "10.0.0.0/8"`);
  }
  const prefix = block.prefix + newbits;
  if (!Number.isInteger(newbits) || newbits < 1 || prefix > 32) {
    throw new Error(`cidrSubnet: ${newbits} new bits on ${base} give /${prefix}; use 1 to ${32 - block.prefix} new bits`);
  }
  if (!Number.isInteger(netnum) || netnum < 0 || netnum >= 2 ** newbits) {
    throw new Error(`cidrSubnet: network number ${netnum} does not fit in ${newbits} bits (0 to ${2 ** newbits - 1}) of ${base}`);
  }
  return formatIpv4Block({ network: block.network + netnum * 2 ** (32 - prefix), prefix });
}

/** The private and special-use IPv4 ranges that never reach a public endpoint from the internet. */
const NON_PUBLIC_RANGES: ReadonlyArray<{ readonly block: string; readonly what: string }> = [
  { block: '10.0.0.0/8', what: 'a private range (RFC 1918)' },
  { block: '172.16.0.0/12', what: 'a private range (RFC 1918)' },
  { block: '192.168.0.0/16', what: 'a private range (RFC 1918)' },
  { block: '100.64.0.0/10', what: 'the carrier-grade NAT range (RFC 6598)' },
  { block: '127.0.0.0/8', what: 'the loopback range' },
  { block: '169.254.0.0/16', what: 'the link-local range' },
];

/** What non-public range `cidr` lies in, or undefined when it is public, wider than one, or not a CIDR. */
export function nonPublicRange(cidr: string): string | undefined {
  const block = parseIpv4Block(cidr);
  return block === undefined ? undefined : NON_PUBLIC_RANGES.find((range) => blockContains(parseIpv4Block(range.block)!, block))?.what;
}

/** AWS's smallest subnet: a /28 (16 addresses). */
export const SMALLEST_SUBNET_PREFIX = 28;

/**
 * The prefix of the smallest subnet CAPA carves from a new VPC block spread over `zones` availability zones: it splits
 * the block into zones + 1 parts (a private subnet per zone and one residual part), then splits the residual into a
 * public subnet per zone (cluster-api-provider-aws v2.11.1, `pkg/cloud/services/network/subnets.go`,
 * `getDefaultSubnets`, with `pkg/internal/cidr` `SplitIntoSubnetsIPv4`: each split adds ceil(log2(parts)) bits).
 */
export function smallestCapaSubnetPrefix(vpcPrefix: number, zones: number): number {
  return vpcPrefix + Math.ceil(Math.log2(zones + 1)) + Math.ceil(Math.log2(zones));
}
