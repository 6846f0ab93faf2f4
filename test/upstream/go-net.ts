/**
 * Go's `net.ParseCIDR` (IPv4 and IPv6, as the Go standard library accepts them) and the `go-cidr` helpers CAPA's
 * webhook uses (`cidr.AddressCount`, `cidr.AddressRange`, github.com/apparentlymart/go-cidr v1.1.0), for the ported
 * webhooks' CIDR checks.
 */

/** A parsed CIDR: the network address (host bits cleared) as a big integer, its prefix and its family. */
export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255 || (p.length > 1 && p.startsWith('0')))) {
    return undefined;
  }
  return parts.reduce((acc, p) => acc * 256n + BigInt(p), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || (text.match(/::/g) ?? []).length > 1) {
    return undefined;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const expand = (gs: string[]): bigint[] | undefined => {
    const out: bigint[] = [];
    for (const g of gs) {
      if (g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) {
          return undefined;
        }
        out.push(v4 / 65536n, v4 % 65536n);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
        out.push(BigInt(`0x${g}`));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const front = expand(groups(head));
  const back = tail === undefined ? [] : expand(groups(tail));
  if (front === undefined || back === undefined) {
    return undefined;
  }
  const missing = 8 - front.length - back.length;
  if ((tail === undefined && missing !== 0) || (tail !== undefined && missing < 1)) {
    return undefined;
  }
  return [...front, ...Array<bigint>(Math.max(missing, 0)).fill(0n), ...back].reduce((acc, g) => acc * 65536n + g, 0n);
}

/** The address with its `hostBits` lowest bits zero. */
const clearHostBits = (address: bigint, hostBits: number): bigint => address - (address % 2n ** BigInt(hostBits));

/** `net.ParseCIDR`: throws Go's message for anything it refuses. */
export function parseCidr(cidr: string): ParsedCidr {
  const slash = cidr.indexOf('/');
  const fail = () => new Error(`invalid CIDR address: ${cidr}`);
  if (slash < 0) {
    throw fail();
  }
  const [addr, bits] = [cidr.slice(0, slash), cidr.slice(slash + 1)];
  if (!/^\d{1,3}$/.test(bits) || (bits.length > 1 && bits.startsWith('0'))) {
    throw fail();
  }
  const prefix = Number(bits);
  const v4 = addr.includes(':') ? undefined : parseIpv4(addr);
  if (v4 !== undefined) {
    if (prefix > 32) {
      throw fail();
    }
    return { family: 4, network: clearHostBits(v4, 32 - prefix), prefix };
  }
  const v6 = parseIpv6(addr);
  if (v6 === undefined || prefix > 128) {
    throw fail();
  }
  return { family: 6, network: clearHostBits(v6, 128 - prefix), prefix };
}

/** Go's message when `net.ParseCIDR` refuses `cidr`, or undefined when it parses. */
export function cidrProblem(cidr: string): string | undefined {
  try {
    parseCidr(cidr);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** `cidr.AddressCount`. */
export const addressCount = (c: ParsedCidr): bigint => 2n ** BigInt((c.family === 4 ? 32 : 128) - c.prefix);

/** `cidr.AddressRange`: first and last address. */
export const addressRange = (c: ParsedCidr): [bigint, bigint] => [c.network, c.network + addressCount(c) - 1n];

/** Whether `inner` lies entirely inside `outer` (same family). */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  const [start, end] = addressRange(inner);
  const [oStart, oEnd] = addressRange(outer);
  return outer.family === inner.family && start >= oStart && end <= oEnd;
}
