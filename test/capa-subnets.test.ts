/**
 * The subnets CAPA v2.11.1 carves from a new VPC block (`pkg/cloud/services/network/subnets.go`, `getDefaultSubnets`,
 * splitting with `pkg/internal/cidr` `SplitIntoSubnetsIPv4`), as `smallestCapaSubnetPrefix` models them, checked
 * against the subnet blocks upstream's own tests expect (`subnets_test.go`, `TestReconcileSubnets`; `cidr_test.go`).
 */
import { nonPublicRange, smallestCapaSubnetPrefix } from '../src/_cidr';

describe('the smallest subnet CAPA carves from a new VPC', () => {
  test.each([
    // "Managed VPC, no existing subnets exist, one az, prefer public subnet schema": 10.0.0.0/17 and 10.0.128.0/17
    ['one zone from a /16', 16, 1, 17],
    // "Managed IPv6 VPC, no existing subnets exist, two az's, ...": private 10.0.64.0/18, the residual /18 halved
    ['two zones from a /16', 16, 2, 19],
    // three zones (CAPA's default, `defaultMaxNumAZs`): 4 parts (/18), the residual split in 3 (2 more bits)
    ['three zones from a /16', 16, 3, 20],
    ['three zones from a /24', 24, 3, 28],
    ['six zones from a /16', 16, 6, 22],
  ])('%s', (_name, vpcPrefix, zones, smallest) => {
    expect(smallestCapaSubnetPrefix(vpcPrefix, zones)).toBe(smallest);
  });
});

describe('ranges a public endpoint never sees', () => {
  test.each([
    ['10.1.0.0/16', 'a private range (RFC 1918)'],
    ['172.31.255.0/24', 'a private range (RFC 1918)'],
    ['192.168.1.1/32', 'a private range (RFC 1918)'],
    ['100.64.0.0/10', 'the carrier-grade NAT range (RFC 6598)'],
    // a wider block that holds public addresses too is left to EKS
    ['8.0.0.0/5', undefined],
    ['203.0.113.0/24', undefined],
    ['0.0.0.0/0', undefined],
  ])('%s', (cidr, expected) => {
    expect(nonPublicRange(cidr)).toBe(expected);
  });
});
