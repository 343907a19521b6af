// Service account tokens (the serviceaccounts/token subresource, `kubectl create token`): ES256 JWTs
// with kube-apiserver's claims, signed with the cluster's service-account key, and their verification
// for authentication and TokenReview. A token is valid while it has not expired, names this issuer
// and an accepted audience, and its ServiceAccount (and bound Pod or Secret, if any) still exists with
// the same uid.
import {createPrivateKey, createPublicKey, createHash, generateKeyPairSync, sign, verify, type KeyObject} from 'node:crypto'
import {badRequest, invalid, notFound} from './errors.js'
import {meta, rfc3339, uuid} from './objects.js'
import {problem} from '../schema/problems.js'
import type {Obj, UserInfo} from './types.js'

/** kube-apiserver's --service-account-issuer on kind and kubeadm clusters (also the default audience). */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local'
const MIN_EXPIRATION_SECONDS = 600
const DEFAULT_EXPIRATION_SECONDS = 3600
const MAX_EXPIRATION_SECONDS = 2 ** 32

export function newServiceAccountKeyPem(): string {
  const {privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'})
  return privateKey.export({type: 'pkcs8', format: 'pem'}).toString()
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url')
}

interface Claims {
  aud: string[]
  exp: number
  iat: number
  nbf: number
  iss: string
  jti: string
  sub: string
  'kubernetes.io': {namespace: string; serviceaccount: {name: string; uid: string}; pod?: {name: string; uid: string}; secret?: {name: string; uid: string}}
}

/** Looks objects up for verification: (resource, namespace, name) -> object or undefined. */
export type ObjectLookup = (resource: 'serviceaccounts' | 'pods' | 'secrets', namespace: string, name: string) => Obj | undefined

export class ServiceAccountTokens {
  private readonly privateKey: KeyObject
  private readonly publicKey: KeyObject
  private readonly kid: string

  constructor(privateKeyPem: string, private readonly random: () => number) {
    this.privateKey = createPrivateKey(privateKeyPem)
    this.publicKey = createPublicKey(this.privateKey)
    this.kid = createHash('sha256').update(this.publicKey.export({type: 'spki', format: 'der'})).digest('base64url')
  }

  /** The TokenRequest answer for a ServiceAccount: the request with defaults and a status. */
  request(sa: Obj, body: Obj, now: Date, lookup: ObjectLookup): Obj {
    const saMeta = meta(sa)
    const reqMeta = (body.metadata ?? {}) as Obj
    if (reqMeta.name && reqMeta.name !== saMeta.name) throw badRequest(`name in URL (${saMeta.name}) does not match name in TokenRequest (${reqMeta.name})`)
    const spec = {...((body.spec ?? {}) as Obj)}
    const audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? (spec.audiences as string[]) : [SERVICE_ACCOUNT_ISSUER]
    const expirationSeconds = spec.expirationSeconds === undefined || spec.expirationSeconds === null ? DEFAULT_EXPIRATION_SECONDS : Number(spec.expirationSeconds)
    if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS) {
      throw invalid('TokenRequest', 'authentication.k8s.io', String(saMeta.name), [problem(['spec', 'expirationSeconds'], 'Invalid value', 'may not specify a duration less than 10 minutes', expirationSeconds)])
    }
    if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
      throw invalid('TokenRequest', 'authentication.k8s.io', String(saMeta.name), [problem(['spec', 'expirationSeconds'], 'Invalid value', 'may not specify a duration larger than 2^32 seconds', expirationSeconds)])
    }
    const namespace = String(saMeta.namespace)
    const ku: Claims['kubernetes.io'] = {namespace, serviceaccount: {name: String(saMeta.name), uid: String(saMeta.uid)}}
    const bound = spec.boundObjectRef as {kind?: string; name?: string; uid?: string; apiVersion?: string} | undefined
    if (bound && bound.kind) {
      const resource = bound.kind === 'Pod' ? 'pods' : bound.kind === 'Secret' ? 'secrets' : undefined
      if (!resource) throw badRequest(`cannot bind token to object of type ${bound.kind}`)
      const target = lookup(resource, namespace, String(bound.name ?? ''))
      if (!target) throw notFound({group: '', resource}, String(bound.name ?? ''))
      const uid = String(meta(target).uid)
      if (bound.uid && bound.uid !== uid) throw badRequest(`the UID in the bound object reference (${bound.uid}) does not match the UID in record. The object might have been deleted and then recreated`)
      ku[bound.kind === 'Pod' ? 'pod' : 'secret'] = {name: String(bound.name), uid}
    }
    const iat = Math.floor(now.getTime() / 1000)
    const claims: Claims = {
      aud: audiences, exp: iat + expirationSeconds, iat, iss: SERVICE_ACCOUNT_ISSUER, jti: uuid(this.random),
      'kubernetes.io': ku, nbf: iat, sub: `system:serviceaccount:${namespace}:${saMeta.name}`,
    }
    const header = b64url(JSON.stringify({alg: 'ES256', kid: this.kid}))
    const payload = b64url(JSON.stringify(claims))
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {key: this.privateKey, dsaEncoding: 'ieee-p1363'})
    return {
      kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
      metadata: {...reqMeta, name: saMeta.name, namespace, creationTimestamp: null},
      spec: {...spec, audiences, expirationSeconds},
      status: {token: `${header}.${payload}.${b64url(signature)}`, expirationTimestamp: rfc3339(new Date((iat + expirationSeconds) * 1000))},
    }
  }

  /**
   * The user a token authenticates, or undefined: bad signature, another issuer, expired, not for one
   * of `audiences`, or its ServiceAccount (or bound object) gone or recreated.
   */
  authenticate(token: string, now: Date, lookup: ObjectLookup, audiences: string[] = [SERVICE_ACCOUNT_ISSUER]): (UserInfo & {audiences: string[]}) | undefined {
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    let claims: Claims
    try {
      const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as {alg?: string}
      if (header.alg !== 'ES256') return undefined
      if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), {key: this.publicKey, dsaEncoding: 'ieee-p1363'}, Buffer.from(parts[2]!, 'base64url'))) return undefined
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Claims
    } catch {
      return undefined
    }
    const t = Math.floor(now.getTime() / 1000)
    if (claims.iss !== SERVICE_ACCOUNT_ISSUER || typeof claims.exp !== 'number' || claims.exp < t || (claims.nbf && claims.nbf > t + 60)) return undefined
    const matched = (claims.aud ?? []).filter((a) => audiences.includes(a))
    if (matched.length === 0) return undefined
    const ku = claims['kubernetes.io']
    if (!ku?.serviceaccount) return undefined
    const sa = lookup('serviceaccounts', ku.namespace, ku.serviceaccount.name)
    if (!sa || meta(sa).uid !== ku.serviceaccount.uid || meta(sa).deletionTimestamp) return undefined
    for (const [key, resource] of [['pod', 'pods'], ['secret', 'secrets']] as const) {
      const ref = ku[key]
      if (!ref) continue
      const o = lookup(resource, ku.namespace, ref.name)
      if (!o || meta(o).uid !== ref.uid || meta(o).deletionTimestamp) return undefined
    }
    const extra: Record<string, string[]> = {'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`]}
    if (ku.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [ku.pod.name]
      extra['authentication.kubernetes.io/pod-uid'] = [ku.pod.uid]
    }
    return {
      name: claims.sub,
      uid: ku.serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ku.namespace}`, 'system:authenticated'],
      extra,
      audiences: matched,
    }
  }
}
