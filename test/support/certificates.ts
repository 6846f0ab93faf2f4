import * as crypto from 'crypto';
import * as net from 'net';

/** A certificate and its private key, PEM. */
export interface KeyPair {
  readonly cert: string;
  readonly key: string;
  /** The private key, to sign other certificates with. */
  readonly privateKey: crypto.KeyObject;
  /** The subject common name, which is the issuer name of the certificates this one signs. */
  readonly name: string;
}

/** What to put in a certificate. */
export interface CertificateOptions {
  /** Subject common name. */
  readonly name: string;
  /** Host names and IP addresses the certificate is valid for. */
  readonly hosts?: readonly string[];
  /** A certificate authority (basicConstraints CA:TRUE). */
  readonly ca?: boolean;
  /** Signed by this authority; self-signed when omitted. */
  readonly issuer?: KeyPair;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

const DAY = 86_400_000;

/**
 * An X.509 v3 certificate (ECDSA P-256, SHA-256) built with node:crypto alone, so that tests can serve self-signed,
 * wrongly named, expired or unknown-authority certificates without openssl or the network.
 */
export function certificate(options: CertificateOptions): KeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const extensions: Buffer[] = [];
  if (options.ca) {
    extensions.push(seq(oid('2.5.29.19'), der(0x01, Buffer.from([0xff])), octets(seq(der(0x01, Buffer.from([0xff]))))));
  }
  if (options.hosts && options.hosts.length > 0) {
    const names = options.hosts.map((host) => (net.isIP(host) ? der(0x87, ipBytes(host)) : der(0x82, Buffer.from(host, 'ascii'))));
    extensions.push(seq(oid('2.5.29.17'), octets(seq(...names))));
  }
  const algorithm = seq(oid('1.2.840.10045.4.3.2'));
  // DER wants an INTEGER minimal: a random serial starting with a zero byte (1 in 256) is "illegal padding" to OpenSSL.
  const serial = crypto.randomBytes(8);
  serial[0] = 1 + (serial[0] % 0x7f);
  const tbs = seq(
    der(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    distinguishedName(options.issuer?.name ?? options.name),
    seq(time(options.notBefore ?? new Date(Date.now() - DAY)), time(options.notAfter ?? new Date(Date.now() + 365 * DAY))),
    distinguishedName(options.name),
    spki,
    ...(extensions.length > 0 ? [der(0xa3, seq(...extensions))] : []),
  );
  const signature = crypto.sign('sha256', tbs, options.issuer?.privateKey ?? privateKey);
  const body = seq(tbs, algorithm, der(0x03, Buffer.concat([Buffer.from([0]), signature]))).toString('base64');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    privateKey,
    name: options.name,
  };
}

function der(tag: number, content: Buffer): Buffer {
  if (content.length < 0x80) {
    return Buffer.concat([Buffer.from([tag, content.length]), content]);
  }
  const length: number[] = [];
  for (let n = content.length; n > 0; n = Math.floor(n / 256)) {
    length.unshift(n % 256);
  }
  return Buffer.concat([Buffer.from([tag, 0x80 + length.length, ...length]), content]);
}

function seq(...items: Buffer[]): Buffer {
  return der(0x30, Buffer.concat(items));
}

function octets(content: Buffer): Buffer {
  return der(0x04, content);
}

function integer(value: Buffer): Buffer {
  return der(0x02, value[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const part of rest) {
    const base128: number[] = [part % 128];
    for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) {
      base128.unshift(0x80 + (n % 128));
    }
    bytes.push(...base128);
  }
  return der(0x06, Buffer.from(bytes));
}

function distinguishedName(commonName: string): Buffer {
  return seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName, 'utf8')))));
}

/** UTCTime before 2050, GeneralizedTime from then on, as RFC 5280 asks. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(`${iso.slice(2)}Z`)) : der(0x18, Buffer.from(`${iso}Z`));
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) {
    return Buffer.from(ip.split('.').map(Number));
  }
  throw new Error(`only IPv4 addresses are supported in test certificates, not ${ip}`);
}
