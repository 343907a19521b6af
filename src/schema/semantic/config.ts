// ConfigMap and Secret checks: valid keys, no key in both data maps, the 1 MiB size limit, and the
// keys each Secret type requires.
import {isConfigMapKey} from '../../api/names.js'
import {Checker, obj, str, type Obj} from './checker.js'

const MAX_SIZE = 1024 * 1024

export function checkConfigMap(c: Checker, o: Obj): void {
  let size = 0
  const seen = new Set<string>()
  for (const field of ['data', 'binaryData'] as const) {
    const data = obj(o[field])
    if (!data) continue
    for (const [key, value] of Object.entries(data)) {
      c.messages([field, key], key, isConfigMapKey(key))
      if (seen.has(key)) c.invalid([field, key], key, 'duplicate of key present in data')
      seen.add(key)
      // A string's UTF-8 size is at most 3 bytes a UTF-16 unit: count exactly only when that could matter.
      size += key.length + (typeof value === 'string' ? (field === 'binaryData' ? Math.floor((value.length * 3) / 4) : value.length * 3) : 0)
    }
  }
  if (size > MAX_SIZE && exactConfigMapSize(o) > MAX_SIZE) c.tooLong([], `must have at most ${MAX_SIZE} bytes`)
}

function exactConfigMapSize(o: Obj): number {
  let size = 0
  for (const [k, v] of Object.entries(obj(o.data) ?? {})) size += k.length + (typeof v === 'string' ? Buffer.byteLength(v) : 0)
  for (const [k, v] of Object.entries(obj(o.binaryData) ?? {})) size += k.length + (typeof v === 'string' ? Math.floor((v.length * 3) / 4) : 0)
  return size
}

const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
}

export function checkSecret(c: Checker, o: Obj): void {
  const keys = new Set<string>()
  let size = 0
  for (const field of ['data', 'stringData'] as const) {
    const data = obj(o[field])
    if (!data) continue
    for (const [key, value] of Object.entries(data)) {
      c.messages([field, key], key, isConfigMapKey(key))
      keys.add(key)
      if (typeof value === 'string') size += field === 'data' ? Math.floor((value.length * 3) / 4) : Buffer.byteLength(value)
    }
  }
  if (size > MAX_SIZE) c.tooLong(['data'], `must have at most ${MAX_SIZE} bytes`)
  const type = str(o.type) ?? 'Opaque'
  for (const key of REQUIRED_KEYS[type] ?? []) {
    if (!keys.has(key)) c.required(['data', key])
  }
  if (type === 'kubernetes.io/basic-auth' && !keys.has('username') && !keys.has('password')) {
    c.required(['data', 'username'], 'either username or password is required')
  }
  if (type === 'kubernetes.io/service-account-token') {
    const annotations = obj(obj(o.metadata)?.annotations)
    if (!str(annotations?.['kubernetes.io/service-account.name'])) c.required(['metadata', 'annotations', 'kubernetes.io/service-account.name'])
  }
}
