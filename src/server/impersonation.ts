// User impersonation (`kubectl --as alice --as-group dev`): the Impersonate-User, -Group, -Uid and
// -Extra-<key> headers make a request act as someone else, if the requester may `impersonate` each of
// them (users, groups, serviceaccounts, uids, userextras/<key>), as kube-apiserver's filter checks.
import type {IncomingHttpHeaders} from 'node:http'
import {badRequest} from '../apiserver/errors.js'
import {forbiddenFor, type AccessControl} from '../apiserver/rbac/access.js'
import type {RequestAttributes} from '../apiserver/rbac/rules.js'
import type {UserInfo} from '../apiserver/types.js'

const SA_PREFIX = 'system:serviceaccount:'

function values(headers: IncomingHttpHeaders, name: string): string[] {
  const v = headers[name]
  if (v === undefined) return []
  return (Array.isArray(v) ? v : [v]).flatMap((x) => (name === 'impersonate-user' || name === 'impersonate-uid' ? [x] : x.split(',').map((s) => s.trim()))).filter((x) => x !== '')
}

/** The user a request acts as: the authenticated one, or whom it impersonates (checked). */
export function impersonatedUser(headers: IncomingHttpHeaders, requester: UserInfo, access: AccessControl): UserInfo {
  const [name] = values(headers, 'impersonate-user')
  const groups = values(headers, 'impersonate-group')
  const [uid] = values(headers, 'impersonate-uid')
  const extraKeys = Object.keys(headers).filter((h) => h.startsWith('impersonate-extra-'))
  if (name === undefined) {
    if (groups.length > 0 || uid !== undefined || extraKeys.length > 0) throw badRequest('requested [Impersonate-Group Impersonate-Uid Impersonate-Extra-] without impersonating a user')
    return requester
  }
  const check = (a: RequestAttributes) => {
    const d = access.authorize(requester, a)
    if (!d.allowed) throw forbiddenFor(requester, a, d.reason)
  }
  const out: UserInfo = {name, groups: []}
  if (name.startsWith(SA_PREFIX)) {
    const [ns, sa] = name.slice(SA_PREFIX.length).split(':')
    check({verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'serviceaccounts', namespace: ns ?? '', name: sa ?? ''})
    if (groups.length === 0) out.groups.push('system:serviceaccounts', `system:serviceaccounts:${ns}`)
  } else {
    check({verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'users', name})
  }
  for (const g of groups) {
    check({verb: 'impersonate', resourceRequest: true, apiGroup: '', resource: 'groups', name: g})
    out.groups.push(g)
  }
  if (uid !== undefined) {
    check({verb: 'impersonate', resourceRequest: true, apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid})
    out.uid = uid
  }
  for (const h of extraKeys) {
    const key = decodeURIComponent(h.slice('impersonate-extra-'.length))
    const vals = values(headers, h)
    for (const v of vals) check({verb: 'impersonate', resourceRequest: true, apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v})
    ;(out.extra ??= {})[key] = vals
  }
  if (name !== 'system:anonymous' && !out.groups.includes('system:authenticated')) out.groups.push('system:authenticated')
  return out
}
