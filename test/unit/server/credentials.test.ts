// Certificates written by our DER encoder, checked with node's X.509 parser and a real TLS handshake;
// the state directory's users, tokens and the authenticator's order (certificate, then token).
import {strict as assert} from 'node:assert'
import {X509Certificate} from 'node:crypto'
import {mkdtempSync, rmSync, statSync} from 'node:fs'
import https from 'node:https'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {request, Agent} from 'undici'
import {certificateUser, coversNames, daysLeft, issueCertificate, oid} from '../../../src/server/pki.js'
import {ADMIN_NAME, Authenticator, CredentialsError, addUser, ensureAdmin, ensureCa, ensureServingCertificate, readUsers} from '../../../src/server/credentials.js'

describe('emulator PKI', () => {
  it('encodes OIDs (multi-byte arcs included)', () => {
    assert.equal(oid('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302')
    assert.equal(oid('2.5.29.17').toString('hex'), '0603551d11')
  })

  it('issues a CA and leaves that verify, with names, usages and groups as asked', () => {
    const ca = issueCertificate({subject: {commonName: 'test-ca'}, ca: true, validDays: 3650})
    const caCert = new X509Certificate(ca.certPem)
    assert.equal(caCert.ca, true)
    assert.ok(caCert.verify(caCert.publicKey))
    const leaf = issueCertificate({subject: {commonName: 'kube-apiserver'}, issuer: ca, usages: ['server'], altNames: ['localhost', '127.0.0.1', '::1', '10.96.0.1'], validDays: 365})
    const cert = new X509Certificate(leaf.certPem)
    assert.equal(cert.ca, false)
    assert.ok(cert.verify(caCert.publicKey))
    assert.ok(cert.checkIssued(caCert))
    assert.equal(cert.issuer, 'CN=test-ca')
    assert.ok(coversNames(leaf.certPem, ['localhost', '127.0.0.1', '::1']))
    assert.ok(!coversNames(leaf.certPem, ['example.com']))
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1'])
    assert.ok(daysLeft(leaf.certPem) > 364 && daysLeft(leaf.certPem) < 366)
    const client = issueCertificate({subject: {commonName: 'alice', organizations: ['dev', 'ops']}, issuer: ca, validDays: 30})
    assert.equal(new X509Certificate(client.certPem).subject, 'O=dev\nO=ops\nCN=alice')
    assert.deepEqual(certificateUser({CN: 'alice', O: ['dev', 'ops']}), {name: 'alice', groups: ['dev', 'ops']})
    assert.equal(certificateUser({O: 'x'}), undefined)
  })

  it('dates past 2049 use GeneralizedTime', () => {
    const ca = issueCertificate({subject: {commonName: 'far'}, ca: true, validDays: 30, now: new Date('2060-01-01T00:00:00Z')})
    assert.equal(new X509Certificate(ca.certPem).validTo, 'Jan 31 00:00:00 2060 GMT')
  })
})

describe('emulator credentials', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kube2-cred-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('keeps the CA and a serving certificate until the host changes', () => {
    const ca = ensureCa(dir)
    assert.equal(ensureCa(dir).certPem, ca.certPem)
    const s1 = ensureServingCertificate(dir, '127.0.0.1')
    assert.equal(ensureServingCertificate(dir, '127.0.0.1').certPem, s1.certPem)
    const s2 = ensureServingCertificate(dir, '192.168.7.9')
    assert.notEqual(s2.certPem, s1.certPem)
    assert.ok(coversNames(s2.certPem, ['192.168.7.9', 'localhost']))
    assert.equal(statSync(join(dir, 'pki', 'ca.key')).mode & 0o777, 0o600)
  })

  it('adds users with tokens (users.json is private), refuses reserved and empty names', () => {
    const admin = ensureAdmin(dir)
    assert.equal(admin.name, ADMIN_NAME)
    assert.deepEqual(admin.groups, ['system:masters'])
    assert.ok(admin.certificate)
    assert.equal(ensureAdmin(dir).token, admin.token, 'the admin is made once')
    const alice = addUser(dir, 'alice', ['dev', 'dev', 'ops'])
    assert.deepEqual(alice.groups, ['dev', 'ops'])
    assert.equal(readUsers(dir).length, 2)
    assert.equal(statSync(join(dir, 'users.json')).mode & 0o777, 0o600)
    const again = addUser(dir, 'alice', ['qa'])
    assert.notEqual(again.token, alice.token)
    assert.deepEqual(readUsers(dir).find((u) => u.name === 'alice')!.groups, ['qa'])
    assert.throws(() => addUser(dir, 'system:x', []), CredentialsError)
    assert.throws(() => addUser(dir, '', []), CredentialsError)
    assert.throws(() => addUser(dir, 'bob', ['a b']), CredentialsError)
  })

  it('authenticates a client certificate first, then a bearer token; sees users added later', async () => {
    const ca = ensureCa(dir)
    const serving = ensureServingCertificate(dir, '127.0.0.1')
    const admin = ensureAdmin(dir)
    const auth = new Authenticator(dir)
    const server = https.createServer({key: serving.keyPem, cert: serving.certPem, ca: [ca.certPem], requestCert: true, rejectUnauthorized: false}, (req, res) => {
      res.end(JSON.stringify(auth.authenticate(req) ?? null))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const call = async (agent: Agent, headers: Record<string, string> = {}) => {
      const res = await request(url, {dispatcher: agent, headers})
      return JSON.parse(await res.body.text()) as {name: string; groups: string[]} | null
    }
    const anon = new Agent({connect: {ca: ca.certPem}})
    const withCert = new Agent({connect: {ca: ca.certPem, cert: admin.certificate!.certPem, key: admin.certificate!.keyPem}})
    const otherCa = issueCertificate({subject: {commonName: 'other'}, ca: true, validDays: 1})
    const forged = issueCertificate({subject: {commonName: 'mallory', organizations: ['system:masters']}, issuer: otherCa, validDays: 1})
    const withForged = new Agent({connect: {ca: ca.certPem, cert: forged.certPem, key: forged.keyPem}})
    try {
      assert.equal(await call(anon), null)
      assert.deepEqual(await call(withCert), {name: ADMIN_NAME, groups: ['system:masters', 'system:authenticated']})
      assert.equal(await call(withForged), null, 'a certificate from another CA is not accepted')
      assert.equal(await call(anon, {authorization: 'Bearer nope'}), null)
      const bob = addUser(dir, 'bob', ['dev'])
      assert.deepEqual(await call(anon, {authorization: `Bearer ${bob.token}`}), {name: 'bob', groups: ['dev', 'system:authenticated']})
      // Both presented: the certificate wins, as in kube-apiserver.
      assert.equal((await call(withCert, {authorization: `Bearer ${bob.token}`}))!.name, ADMIN_NAME)
    } finally {
      await Promise.all([anon.close(), withCert.close(), withForged.close()])
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    }
  })
})
