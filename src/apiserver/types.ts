// The API server's request and response model: Kubernetes' REST verbs on a group/version/resource,
// independent of HTTP. The in-process Cluster calls it directly; the HTTP server (src/server)
// converts requests to it and back.

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection'

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply'

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+json': 'apply',
}

export interface UserInfo {
  name: string
  groups: string[]
  uid?: string
  extra?: Record<string, string[]>
}

export interface ApiRequest {
  verb: Verb
  group: string
  version: string
  /** Plural resource name, e.g. `deployments`. */
  resource: string
  namespace?: string
  name?: string
  subresource?: string
  /** Query parameters (labelSelector, fieldSelector, limit, continue, resourceVersion, dryRun, ...). */
  query?: Record<string, string | undefined>
  /** Decoded request body: the object (create/update), the patch (patch), DeleteOptions (delete). */
  body?: unknown
  patchType?: PatchType
  user?: UserInfo
  /** The client's User-Agent, from which a default field manager is derived. */
  userAgent?: string
  /** `Table` (Accept: application/json;as=Table;g=meta.k8s.io;v=v1): rows and columns instead of objects. */
  as?: 'Table'
}

export interface ApiResponse {
  status: number
  body: unknown
  /** Warnings the apiserver returns in `Warning:` headers (299 - "text"). */
  warnings?: string[]
}

/** A watch response: events until stop() or the server ends it. */
export interface WatchStream {
  /** Starts delivery; events arrive synchronously from store commits (and replay). */
  start(onEvent: (event: WatchEventOut) => void, onEnd?: () => void): void
  stop(): void
}

export interface WatchEventOut {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: Record<string, unknown>
}

export type Obj = Record<string, unknown>
