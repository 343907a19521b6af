// The emulator's certificates: a cluster CA, the apiserver's serving certificate and client
// certificates (CN = user, O = groups, as kube-apiserver's x509 authenticator reads them). Keys are
// ECDSA P-256 from node:crypto; certificates are X.509 v3 written with a small DER encoder here —
// node can parse and verify certificates but not issue them, and the one library that does
// (@peculiar/x509) needs a global reflect-metadata polyfill for ~150 lines of ASN.1.
import {X509Certificate, createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject} from 'node:crypto'
import {isIP} from 'node:net'

// ---- DER --------------------------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), length(body.length), body])
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c)
const set = (...c: Buffer[]) => tlv(0x31, ...c)
const octets = (b: Buffer) => tlv(0x04, b)
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]))
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'))
const explicit = (n: number, c: Buffer) => tlv(0xa0 + n, c)

/** A non-negative INTEGER from its big-endian bytes. */
function integer(bytes: Buffer): Buffer {
  let b = bytes
  while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b = b.subarray(1)
  if (b[0]! >= 0x80) b = Buffer.concat([Buffer.from([0]), b])
  return tlv(0x02, b)
}

function bitString(b: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.from([unusedBits]), b)
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number)
  const out = [40 * parts[0]! + parts[1]!]
  for (const p of parts.slice(2)) {
    const group: number[] = [p & 0x7f]
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) group.unshift(0x80 | (v & 0x7f))
    out.push(...group)
  }
  return tlv(0x06, Buffer.from(out))
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z')
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso))
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
}

export interface Subject {
  commonName: string
  organizations?: string[]
}

function name(s: Subject): Buffer {
  const rdns = (s.organizations ?? []).map((o) => set(seq(oid(OID.organization), utf8(o))))
  rdns.push(set(seq(oid(OID.commonName), utf8(s.commonName))))
  return seq(...rdns)
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value))
}

/** keyUsage bits, numbered as in RFC 5280 (digitalSignature = 0). */
function keyUsage(bits: number[]): Buffer {
  let v = 0
  for (const b of bits) v |= 0x80 >> b
  let unused = 0
  while (unused < 7 && !(v & (1 << unused))) unused++
  return bitString(Buffer.from([v]), unused)
}

function keyId(publicKey: KeyObject): Buffer {
  // The subjectPublicKey bits of the SPKI; the last 65 bytes for an uncompressed P-256 point.
  const spki = publicKey.export({type: 'spki', format: 'der'})
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest()
}

function altNames(names: string[]): Buffer {
  const entries = names.map((n) => {
    const family = isIP(n)
    if (family === 4) return tlv(0x87, Buffer.from(n.split('.').map(Number)))
    if (family === 6) return tlv(0x87, ipv6Bytes(n))
    return tlv(0x82, Buffer.from(n, 'ascii'))
  })
  return seq(...entries)
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  const out = Buffer.alloc(16)
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2))
  return out
}

// ---- certificates -----------------------------------------------------------------------------

export interface KeyPair {
  certPem: string
  keyPem: string
}

export interface IssueOptions {
  subject: Subject
  /** Signer; a self-signed CA when omitted. */
  issuer?: KeyPair
  ca?: boolean
  /** DNS names and IP addresses (serving certificates). */
  altNames?: string[]
  usages?: Array<'server' | 'client'>
  validDays: number
  now?: Date
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`
}

/** A new key and a certificate for it. */
export function issueCertificate(opts: IssueOptions): KeyPair {
  const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'})
  const now = opts.now ?? new Date()
  const issuerCert = opts.issuer ? new X509Certificate(opts.issuer.certPem) : undefined
  const issuerKey = opts.issuer ? createPrivateKey(opts.issuer.keyPem) : privateKey
  const issuerName = issuerCert ? Buffer.from(issuerCert.raw.subarray(...subjectRange(issuerCert.raw))) : name(opts.subject)
  const issuerKeyId = keyId(issuerCert ? issuerCert.publicKey : publicKey)
  const exts: Buffer[] = [
    extension(OID.basicConstraints, true, opts.ca ? seq(bool(true)) : seq()),
    // CA: certSign + CRLSign + digitalSignature; leaf: digitalSignature + keyEncipherment.
    extension(OID.keyUsage, true, keyUsage(opts.ca ? [0, 5, 6] : [0, 2])),
    extension(OID.subjectKeyId, false, octets(keyId(publicKey))),
  ]
  if (!opts.ca) {
    exts.push(extension(OID.authorityKeyId, false, seq(tlv(0x80, issuerKeyId))))
    const usages = opts.usages ?? ['client']
    exts.push(extension(OID.extKeyUsage, false, seq(...usages.map((u) => oid(u === 'server' ? OID.serverAuth : OID.clientAuth)))))
  }
  if (opts.altNames?.length) exts.push(extension(OID.subjectAltName, false, altNames(opts.altNames)))
  const sigAlg = seq(oid(OID.ecdsaWithSha256))
  const serial = randomBytes(16)
  serial[0]! &= 0x7f
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000)
  const notAfter = new Date(now.getTime() + opts.validDays * 24 * 60 * 60 * 1000)
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    sigAlg,
    issuerName,
    seq(time(notBefore), time(notAfter)),
    name(opts.subject),
    publicKey.export({type: 'spki', format: 'der'}),
    explicit(3, seq(...exts)),
  )
  const signature = sign('sha256', tbs, issuerKey)
  const cert = seq(tbs, sigAlg, bitString(signature))
  return {certPem: pem('CERTIFICATE', cert), keyPem: privateKey.export({type: 'pkcs8', format: 'pem'}) as string}
}

/** Where the subject Name sits in a certificate's DER (to copy it verbatim as a child's issuer). */
function subjectRange(der: Buffer): [number, number] {
  // Certificate SEQUENCE > tbsCertificate SEQUENCE > [0] version, serial, sigAlg, issuer, validity, subject.
  let pos = header(der, 0).contentStart
  pos = header(der, pos).contentStart
  for (let i = 0; i < 5; i++) pos = header(der, pos).end
  return [pos, header(der, pos).end]
}

function header(der: Buffer, pos: number): {contentStart: number; end: number} {
  let len = der[pos + 1]!
  let start = pos + 2
  if (len & 0x80) {
    const n = len & 0x7f
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + der[pos + 2 + i]!
    start += n
  }
  return {contentStart: start, end: start + len}
}

/** The user a client certificate names: CN, and O as groups. */
export function certificateUser(subject: Record<string, string | string[] | undefined>): {name: string; groups: string[]} | undefined {
  const cn = subject.CN
  const name = Array.isArray(cn) ? cn[0] : cn
  if (!name) return undefined
  const o = subject.O
  return {name, groups: o === undefined ? [] : Array.isArray(o) ? o : [o]}
}

/** Days until a certificate expires (negative once it has). */
export function daysLeft(certPem: string, now = new Date()): number {
  return (Date.parse(new X509Certificate(certPem).validTo) - now.getTime()) / (24 * 60 * 60 * 1000)
}

/** Whether a serving certificate covers every one of the names. */
export function coversNames(certPem: string, names: string[]): boolean {
  const c = new X509Certificate(certPem)
  return names.every((n) => (isIP(n) ? c.checkIP(n) !== undefined : c.checkHost(n) !== undefined))
}
