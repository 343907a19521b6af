// A kubeconfig as kubectl writes it: every entry passed through client-go's v1 types, so fields come
// in their struct order (for -o json), empty optional fields are dropped, and the fields without
// omitempty (exec's args, env, provideClusterInfo) are always there. `config view` also redacts
// secrets unless --raw: *-data as DATA+OMITTED, token and password as REDACTED.
type Obj = Record<string, unknown>

const CLUSTER_FIELDS = ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions']
const USER_FIELDS = ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups', 'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions']
const CONTEXT_FIELDS = ['cluster', 'user', 'namespace', 'extensions']

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
}

function pick(o: Obj, fields: string[], convert: (k: string, v: unknown) => unknown = (_k, v) => v): Obj {
  const out: Obj = {}
  for (const f of fields) if (!isEmpty(o[f])) out[f] = convert(f, o[f])
  return out
}

function execConfig(e: Obj): Obj {
  const out: Obj = {
    command: String(e.command ?? ''),
    args: Array.isArray(e.args) ? e.args.map(String) : null,
    env: Array.isArray(e.env) ? (e.env as Obj[]).map((v) => ({name: String(v?.name ?? ''), value: String(v?.value ?? '')})) : null,
    apiVersion: String(e.apiVersion ?? ''),
  }
  if (typeof e.installHint === 'string' && e.installHint) out.installHint = e.installHint
  out.provideClusterInfo = e.provideClusterInfo === true
  if (typeof e.interactiveMode === 'string' && e.interactiveMode) out.interactiveMode = e.interactiveMode
  return out
}

/** Fields Go writes even when empty (no omitempty). */
const ALWAYS: Record<string, string[]> = {cluster: ['server'], context: ['cluster', 'user'], user: []}

/**
 * A list of named entries, sorted by name (client-go keeps them in maps and writes them out sorted);
 * a missing list stays null, as a nil slice marshals.
 */
function named(list: unknown, key: string, fields: string[], convert?: (k: string, v: unknown) => unknown): Obj[] | null {
  if (!Array.isArray(list)) return null
  const entries = (list as Obj[]).filter((e) => e && typeof e.name === 'string')
  entries.sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0))
  return entries.map((e) => {
    const value = (e[key] as Obj | null) ?? {}
    const out = pick(value, fields, convert)
    const always = ALWAYS[key] ?? []
    const ordered: Obj = {}
    for (const f of fields) {
      if (f in out) ordered[f] = out[f]
      else if (always.includes(f)) ordered[f] = typeof value[f] === 'string' ? value[f] : ''
    }
    return {name: e.name, [key]: ordered}
  })
}

/** One kubeconfig document in client-go's shape and order. */
export function normalizeConfig(doc: Obj): Obj {
  const out: Obj = {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: (doc.preferences as Obj | undefined) ?? {},
    clusters: named(doc.clusters, 'cluster', CLUSTER_FIELDS),
    users: named(doc.users, 'user', USER_FIELDS, (k, v) => (k === 'exec' ? execConfig(v as Obj) : v)),
    contexts: named(doc.contexts, 'context', CONTEXT_FIELDS),
    'current-context': typeof doc['current-context'] === 'string' ? doc['current-context'] : '',
  }
  if (!isEmpty(doc.extensions)) out.extensions = doc.extensions
  return out
}

/** `config view` without --raw. */
export function redactConfig(doc: Obj): Obj {
  const c = JSON.parse(JSON.stringify(doc)) as Obj
  for (const e of (c.clusters ?? []) as Obj[]) {
    const cl = e.cluster as Obj
    if (cl['certificate-authority-data']) cl['certificate-authority-data'] = 'DATA+OMITTED'
  }
  for (const e of (c.users ?? []) as Obj[]) {
    const u = e.user as Obj
    for (const k of ['client-certificate-data', 'client-key-data']) if (u[k]) u[k] = 'DATA+OMITTED'
    for (const k of ['token', 'password']) if (u[k]) u[k] = 'REDACTED'
  }
  return c
}
