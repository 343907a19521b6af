// Shapes shared by the `-f` manifest reader: what it returns for each object it found and for
// each thing it could not turn into an object.

/** One Kubernetes object read from a manifest input. */
export interface ManifestObject {
  object: Record<string, unknown>
  /** The path as given (or as found while walking a directory), 'STDIN' for `-`, or the URL. */
  source: string
  /**
   * 0-based index of the document in its source, counting only documents that have content:
   * empty and comment-only documents between `---` lines are not counted, so the third
   * resource of a file is index 2 however many stray separators it has.
   */
  documentIndex: number
  /** 1-based file line of the document's first content line (for a List item: the item's line). */
  line: number
  /** For an item of a List (any object with an `items` array): its index in the top-level list. */
  itemIndex?: number
  /**
   * For a List item: the field path from the document root to the item, e.g. ['items', 3], or
   * ['items', 1, 'items', 0] for a list nested in a list. Prefix it to a field path of `object`
   * to locate that field with locateLine, which walks from the root of `text`.
   */
  itemPath?: (string | number)[]
  /** The document's source text (shared by all items of one List), for locating lines later. */
  text: string
  /** Number of file lines before `text` starts: file line = lineOffset + line within text. */
  lineOffset: number
}

export type ManifestProblemKind =
  | 'unreadable'
  | 'yaml'
  | 'empty'
  | 'binary'
  | 'nokind'
  | 'noapiversion'
  | 'notobject'

export interface ManifestProblem {
  source: string
  /** 1-based file line, when the problem has one. */
  line?: number
  documentIndex?: number
  message: string
  kind: ManifestProblemKind
}

export interface ManifestReadResult {
  objects: ManifestObject[]
  problems: ManifestProblem[]
  /** Every source that was read (files found in directories, 'STDIN', URLs), in reading order. */
  sources: string[]
}

export interface ReadManifestsOptions {
  /** Walk subdirectories of directory inputs (kubectl's -R). */
  recursive?: boolean
  /** Read for `-`; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream
  /** Report duplicate mapping keys instead of letting the last one win. */
  strict?: boolean
  /** Used for http(s) inputs; defaults to undici's fetch. */
  fetch?: typeof fetch
  /** Attempts per URL on network errors and 5xx answers; kubectl makes 3. */
  httpAttempts?: number
  /** Pause between URL attempts; kubectl waits one second. */
  httpRetryDelayMs?: number
}
