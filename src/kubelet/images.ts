// Image references as containerd reports them (docker.io/library/nginx:latest) and the glob patterns
// profiles use to pick behaviour by image.
import {sha256Hex} from './hash.js'

export interface ImageRef {
  /** What the runtime reports as the container's image: registry/path:tag (or @digest). */
  normalized: string
  /** registry/path without tag or digest. */
  repository: string
  tag?: string
  digest?: string
}

/** Docker's reference normalization: a bare name lives in docker.io/library, a missing tag is `latest`. */
export function normalizeImage(image: string): ImageRef {
  let rest = image.trim()
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  const slash = rest.indexOf('/')
  const first = slash < 0 ? '' : rest.slice(0, slash)
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')
  let repository: string
  if (hasRegistry) repository = rest
  else repository = `docker.io/${slash < 0 ? `library/${rest}` : rest}`
  if (tag === undefined && digest === undefined) tag = 'latest'
  const normalized = digest !== undefined ? `${repository}@${digest}` : `${repository}:${tag}`
  return {normalized, repository, tag, digest}
}

/** The image digest the runtime reports as imageID: fixed per normalized reference. */
export function imageID(image: string): string {
  const ref = normalizeImage(image)
  const digest = ref.digest ?? `sha256:${sha256Hex(`image:${ref.normalized}`)}`
  return `${ref.repository}@${digest}`
}

const globCache = new Map<string, RegExp>()

/** `*` matches any run of characters (slashes included), `?` one character. */
export function globMatch(pattern: string, value: string): boolean {
  let re = globCache.get(pattern)
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
    re = new RegExp(`^${body}$`)
    globCache.set(pattern, re)
  }
  return re.test(value)
}

/** Whether any pattern matches the image as written or as normalized. */
export function imageMatches(patterns: readonly string[], image: string): boolean {
  const normalized = normalizeImage(image).normalized
  return patterns.some((p) => globMatch(p, image) || globMatch(p, normalized))
}
