// Service account tokens: issued through serviceaccounts/token, verified on the control plane's clock.
import {strict as assert} from 'node:assert'
import {ControlPlane} from '../../../src/emulator/control-plane.js'
import {VirtualClock} from '../../../src/api/clock.js'
import {MemoryStore} from '../../../src/store/memory.js'
import {newServiceAccountKeyPem, ServiceAccountTokens} from '../../../src/apiserver/serviceaccount-token.js'

describe('service account tokens', () => {
  let cp: ControlPlane
  let clock: VirtualClock
  beforeEach(() => {
    clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'))
    cp = new ControlPlane({store: new MemoryStore(), clock, controllers: false, seed: 1, serviceAccountKeyPem: newServiceAccountKeyPem()})
    cp.handle({verb: 'create', group: '', version: 'v1', resource: 'serviceaccounts', namespace: 'default', body: {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'robot'}}})
  })
  afterEach(() => cp.close())
  const request = (spec: Record<string, unknown> = {}) =>
    cp.handle({verb: 'create', group: '', version: 'v1', resource: 'serviceaccounts', namespace: 'default', name: 'robot', subresource: 'token', body: {apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec}})

  it('issues a TokenRequest with defaults and an expiration; the token is valid until then', () => {
    const r = request()
    assert.equal(r.status, 201)
    const body = r.body as {spec: {audiences: string[]; expirationSeconds: number}; status: {token: string; expirationTimestamp: string}}
    assert.deepEqual(body.spec, {audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600})
    assert.equal(body.status.expirationTimestamp, '2026-01-01T01:00:00Z')
    const user = cp.apiserver.authenticateServiceAccountToken(body.status.token)
    assert.equal(user?.name, 'system:serviceaccount:default:robot')
    clock.advance(3601 * 1000)
    assert.equal(cp.apiserver.authenticateServiceAccountToken(body.status.token), undefined)
  })

  it('audiences must match; another key\'s tokens and tampered tokens are refused', () => {
    const token = ((request({audiences: ['vault']}).body as {status: {token: string}}).status.token)
    assert.equal(cp.apiserver.authenticateServiceAccountToken(token), undefined)
    assert.deepEqual(cp.apiserver.authenticateServiceAccountToken(token, ['vault'])?.audiences, ['vault'])
    const other = new ServiceAccountTokens(newServiceAccountKeyPem(), Math.random)
    assert.equal(other.authenticate(token, clock.now(), cp.apiserver.lookupForTokens, ['vault']), undefined)
    const [h, p, s] = token.split('.')
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as {sub: string}
    claims.sub = 'system:serviceaccount:kube-system:admin'
    assert.equal(cp.apiserver.authenticateServiceAccountToken(`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`, ['vault']), undefined)
  })

  it('a token bound to a pod dies with the pod; a recreated service account does not revive old tokens', () => {
    cp.handle({verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {containers: [{name: 'c', image: 'nginx'}]}}})
    const bound = (request({boundObjectRef: {kind: 'Pod', apiVersion: 'v1', name: 'p'}}).body as {status: {token: string}}).status.token
    assert.deepEqual(cp.apiserver.authenticateServiceAccountToken(bound)?.extra?.['authentication.kubernetes.io/pod-name'], ['p'])
    cp.handle({verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'p', query: {gracePeriodSeconds: '0'}})
    assert.equal(cp.apiserver.authenticateServiceAccountToken(bound), undefined)
    const plain = (request().body as {status: {token: string}}).status.token
    cp.handle({verb: 'delete', group: '', version: 'v1', resource: 'serviceaccounts', namespace: 'default', name: 'robot'})
    cp.handle({verb: 'create', group: '', version: 'v1', resource: 'serviceaccounts', namespace: 'default', body: {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'robot'}}})
    assert.equal(cp.apiserver.authenticateServiceAccountToken(plain), undefined)
  })

  it('refuses too short a duration and a missing service account', () => {
    const r = request({expirationSeconds: 60})
    assert.equal(r.status, 422)
    assert.match((r.body as {message: string}).message, /spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/)
    const missing = cp.handle({verb: 'create', group: '', version: 'v1', resource: 'serviceaccounts', namespace: 'default', name: 'nobody', subresource: 'token', body: {}})
    assert.equal(missing.status, 404)
    assert.equal((missing.body as {message: string}).message, 'serviceaccounts "nobody" not found')
  })
})
