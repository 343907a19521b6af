// Reads kubelet profiles: YAML with file:line errors (js-yaml marks for syntax, the document's nodes
// for schema problems), layered over fixtures/kubelet/default-profile.yaml.
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import yaml from 'js-yaml'
import {findInText} from '../manifest/locate.js'
import type {LogProfile, PodProfile} from './profile.js'
import {checkField, PROFILE_SCHEMA, type SchemaProblem} from './profile-schema.js'

export const DEFAULT_PROFILE_PATH = fileURLToPath(new URL('../../fixtures/kubelet/default-profile.yaml', import.meta.url))

/** A profile that cannot be used; the message lists every problem as `file:line: path: what`. */
export class ProfileError extends Error {
  readonly source: string

  constructor(source: string, message: string) {
    super(message)
    this.name = 'ProfileError'
    this.source = source
  }
}

type Raw = Record<string, unknown>

function isPlain(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}

function parseRaw(text: string, source: string, complete: boolean): Raw {
  let doc: unknown
  try {
    doc = yaml.load(text, {filename: source})
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const where = err.mark ? `${source}:${err.mark.line + 1}:${err.mark.column + 1}` : source
      throw new ProfileError(source, `${where}: ${err.reason}`)
    }
    throw err
  }
  if (doc === undefined || doc === null) doc = {}
  const problems: SchemaProblem[] = []
  checkField(doc, PROFILE_SCHEMA, [], problems, complete)
  if (problems.length > 0) {
    const lines = problems.map((p) => {
      const at = p.path.length > 0 ? findInText(text, p.path) : undefined
      const where = at && at.matched > 0 ? `${source}:${at.line}` : source
      return `${where}: ${p.path.length > 0 ? `${formatPath(p.path)}: ` : ''}${p.message}`
    })
    throw new ProfileError(source, lines.join('\n'))
  }
  return doc as Raw
}

/** A profile layered over another: objects merge, `images` rules go first, other lists replace. */
function layer(base: Raw, over: Raw): Raw {
  const out: Raw = {...base}
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined || v === null) continue
    if (k === 'images' && Array.isArray(v)) out[k] = [...v, ...(Array.isArray(base[k]) ? base[k] : [])]
    else if (isPlain(v) && isPlain(base[k])) out[k] = layer(base[k], v)
    else out[k] = v
  }
  return out
}

function toProfile(raw: Raw, source: string): PodProfile {
  const logs: Record<string, LogProfile> = {}
  for (const [name, l] of Object.entries((raw.logs ?? {}) as Record<string, Partial<LogProfile>>)) {
    logs[name] = {start: l.start ?? [], every: l.every ?? 0, periodic: l.periodic ?? [], crash: l.crash ?? [], stop: l.stop ?? []}
  }
  const {kind: _kind, apiVersion: _apiVersion, ...rest} = raw
  return {...(rest as unknown as Omit<PodProfile, 'source' | 'logs'>), logs, source}
}

let defaultRaw: Raw | undefined

function defaultProfileRaw(): Raw {
  if (!defaultRaw) defaultRaw = parseRaw(readFileSync(DEFAULT_PROFILE_PATH, 'utf8'), DEFAULT_PROFILE_PATH, true)
  return defaultRaw
}

/** A profile from YAML text, layered over the default profile. */
export function parsePodProfile(text: string, source: string): PodProfile {
  const merged = layer(defaultProfileRaw(), parseRaw(text, source, false))
  const logNames = isPlain(merged.logs) ? merged.logs : {}
  ;((merged.images ?? []) as Raw[]).forEach((rule, i) => {
    if (typeof rule.logs !== 'string' || rule.logs in logNames) return
    // User rules come first in the merged list, so the index is the file's own.
    const at = findInText(text, ['images', i, 'logs'])
    const where = at && at.matched === 3 ? `${source}:${at.line}` : source
    throw new ProfileError(source, `${where}: images[${i}].logs: no log profile named ${JSON.stringify(rule.logs)} (known: ${Object.keys(logNames).join(', ')})`)
  })
  return toProfile(merged, source)
}

/** The profile at `path`, or the default profile when no path is given. */
export function loadPodProfile(path?: string): PodProfile {
  if (path === undefined) return toProfile(defaultProfileRaw(), 'default')
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ProfileError(path, `${path}: cannot read kubelet profile${code ? ` (${code})` : ''}`)
  }
  return parsePodProfile(text, path)
}
