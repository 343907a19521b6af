// The emulator server's security material in its state directory, and authentication:
//   pki/ca.crt, ca.key               the cluster CA (made at first start)
//   pki/apiserver.crt, .key          the serving certificate (re-issued when the host changes or it nears expiry)
//   pki/users/<name>.crt, .key       client certificates (CN = user, O = groups)
//   users.json                       users, their groups and bearer tokens (mode 0600)
// Requests authenticate with `Authorization: Bearer <token>` or a client certificate signed by the
// CA, as kube-apiserver's x509 and token-file authenticators do (in that order); every authenticated user is also in
// system:authenticated. Users added while the server runs are seen at their next request.
import {existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import type {IncomingMessage} from 'node:http'
import {join} from 'node:path'
import type {TLSSocket} from 'node:tls'
import {randomBytes, timingSafeEqual} from 'node:crypto'
import type {UserInfo} from '../apiserver/types.js'
import {certificateUser, coversNames, daysLeft, issueCertificate, type KeyPair} from './pki.js'

export {ADMIN_NAME} from './running.js'
import {ADMIN_NAME} from './running.js'
export const ADMIN_GROUPS = ['system:masters']

/** Names every serving certificate covers, besides the address the server listens on. */
const SERVING_NAMES = ['localhost', '127.0.0.1', '::1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', '10.96.0.1']

export interface UserRecord {
  name: string
  groups: string[]
  token: string
}

interface UsersFile {
  users: UserRecord[]
}

export class CredentialsError extends Error {}

const pkiDir = (stateDir: string) => join(stateDir, 'pki')

function writePrivate(path: string, text: string): void {
  // Written whole then renamed: a reader (or a crash) never sees half a key.
  const tmp = `${path}.tmp`
  writeFileSync(tmp, text, {mode: 0o600})
  renameSync(tmp, path)
}

function readPair(dir: string, base: string): KeyPair | undefined {
  const cert = join(dir, `${base}.crt`)
  const key = join(dir, `${base}.key`)
  if (!existsSync(cert) || !existsSync(key)) return undefined
  return {certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8')}
}

function writePair(dir: string, base: string, pair: KeyPair): void {
  mkdirSync(dir, {recursive: true, mode: 0o700})
  writePrivate(join(dir, `${base}.key`), pair.keyPem)
  writeFileSync(join(dir, `${base}.crt`), pair.certPem)
}

/** The CA, made once for the life of the state directory. */
export function ensureCa(stateDir: string): KeyPair {
  const dir = pkiDir(stateDir)
  const existing = readPair(dir, 'ca')
  if (existing) return existing
  const ca = issueCertificate({subject: {commonName: 'kube2-emulator-ca'}, ca: true, validDays: 3650})
  writePair(dir, 'ca', ca)
  return ca
}

/** The serving certificate for `host` (kept while it covers the names and has 30 days left). */
export function ensureServingCertificate(stateDir: string, host: string): KeyPair {
  const ca = ensureCa(stateDir)
  const dir = pkiDir(stateDir)
  const names = [...new Set([...SERVING_NAMES, ...(host && host !== '0.0.0.0' && host !== '::' ? [host] : [])])]
  const existing = readPair(dir, 'apiserver')
  if (existing && daysLeft(existing.certPem) > 30 && coversNames(existing.certPem, names)) return existing
  const pair = issueCertificate({subject: {commonName: 'kube-apiserver'}, issuer: ca, usages: ['server'], altNames: names, validDays: 365})
  writePair(dir, 'apiserver', pair)
  return pair
}

function usersPath(stateDir: string): string {
  return join(stateDir, 'users.json')
}

export function readUsers(stateDir: string): UserRecord[] {
  const path = usersPath(stateDir)
  if (!existsSync(path)) return []
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as UsersFile
    return Array.isArray(doc.users) ? doc.users : []
  } catch (e) {
    throw new CredentialsError(`${path}: ${(e as Error).message}`)
  }
}

function writeUsers(stateDir: string, users: UserRecord[]): void {
  mkdirSync(stateDir, {recursive: true})
  writePrivate(usersPath(stateDir), `${JSON.stringify({users}, null, 2)}\n`)
}

/** kube-apiserver's rule for names in a token file: anything but empty; we also refuse ':' prefixes it reserves. */
export function checkUserName(name: string): void {
  if (!name || /[\s]/.test(name)) throw new CredentialsError(`invalid user name ${JSON.stringify(name)}: must be non-empty and contain no whitespace`)
  if (name.startsWith('system:')) throw new CredentialsError(`invalid user name "${name}": names starting with "system:" are reserved for Kubernetes components`)
}

export interface IssuedUser extends UserRecord {
  /** The client certificate, when one was asked for. */
  certificate?: KeyPair
}

/**
 * Adds a user (or replaces its groups and token), with a client certificate if `certificate`. The
 * admin is made the same way at first start.
 */
export function addUser(stateDir: string, name: string, groups: string[], opts: {certificate?: boolean; reserved?: boolean} = {}): IssuedUser {
  if (!opts.reserved) checkUserName(name)
  for (const g of groups) if (!g || /\s/.test(g)) throw new CredentialsError(`invalid group ${JSON.stringify(g)}: must be non-empty and contain no whitespace`)
  const users = readUsers(stateDir).filter((u) => u.name !== name)
  const record: UserRecord = {name, groups: [...new Set(groups)], token: randomBytes(24).toString('base64url')}
  users.push(record)
  let certificate: KeyPair | undefined
  if (opts.certificate) {
    certificate = issueCertificate({subject: {commonName: name, organizations: record.groups}, issuer: ensureCa(stateDir), usages: ['client'], validDays: 365})
    writePair(join(pkiDir(stateDir), 'users'), fileSafe(name), certificate)
  }
  writeUsers(stateDir, users)
  return {...record, ...(certificate ? {certificate} : {})}
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_')
}

/** The admin (group system:masters), made at first start with a token and a client certificate. */
export function ensureAdmin(stateDir: string): IssuedUser {
  const existing = readUsers(stateDir).find((u) => u.name === ADMIN_NAME)
  const cert = readPair(join(pkiDir(stateDir), 'users'), ADMIN_NAME)
  if (existing && cert && daysLeft(cert.certPem) > 30) return {...existing, certificate: cert}
  return addUser(stateDir, ADMIN_NAME, ADMIN_GROUPS, {certificate: true, reserved: true})
}

/** Who sent a request: a known bearer token, else a client certificate the CA signed; undefined if neither. */
export class Authenticator {
  private tokens = new Map<string, UserRecord>()
  private loadedMtime = -1
  /** A connection's certificate user, read once per connection (a peer certificate cannot change). */
  private readonly byConnection = new WeakMap<TLSSocket, UserInfo | null>()

  /** `serviceAccounts`: the user of a token that is not one of users.json's (service account JWTs). */
  constructor(private readonly stateDir: string, private readonly serviceAccounts?: (token: string) => UserInfo | undefined) {}

  authenticate(req: IncomingMessage): UserInfo | undefined {
    // kube-apiserver's order: a verified client certificate first, then a bearer token.
    const socket = req.socket as TLSSocket
    if (socket.encrypted && socket.authorized) {
      let user = this.byConnection.get(socket)
      if (user === undefined) {
        // A verified peer certificate has a subject; a connection without one has an empty object here.
        const subject = socket.getPeerCertificate()?.subject as unknown as Record<string, string | string[]> | undefined
        const named = subject ? certificateUser(subject) : undefined
        user = named ? withAuthenticated(named) : null
        this.byConnection.set(socket, user)
      }
      if (user) return user
    }
    const auth = req.headers.authorization
    if (auth === undefined) return undefined
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth)
    if (!m) return undefined
    return this.byToken(m[1]!) ?? this.serviceAccounts?.(m[1]!)
  }

  /** A token's user (TokenReview uses this too). */
  byToken(token: string): UserInfo | undefined {
    this.reload()
    const u = this.tokens.get(token)
    if (!u) return undefined
    // Compared in constant time once found by hash lookup (the map key is the token itself).
    if (!timingSafeEqual(Buffer.from(u.token), Buffer.from(token))) return undefined
    return withAuthenticated({name: u.name, groups: u.groups})
  }

  private reload(): void {
    let mtime: number
    try {
      mtime = statSync(usersPath(this.stateDir)).mtimeMs
    } catch {
      mtime = 0
    }
    if (mtime === this.loadedMtime) return
    this.loadedMtime = mtime
    this.tokens = new Map(readUsers(this.stateDir).map((u) => [u.token, u]))
  }
}

function withAuthenticated(u: {name: string; groups: string[]}): UserInfo {
  return {name: u.name, groups: u.groups.includes('system:authenticated') ? u.groups : [...u.groups, 'system:authenticated']}
}
