// A list response made of the stored JSON texts of its items, as the real apiserver answers lists
// from its watch cache's serialized objects: no parsing unless a caller reads the items. The HTTP
// server writes `toJsonText()` as it is; in-process callers get objects via `items` / toObject().
import type {Obj} from './types.js'

export class RawList {
  private parsed?: Obj[]

  constructor(readonly head: {kind: string; apiVersion: string; metadata: Obj}, readonly texts: string[]) {}

  get kind(): string {
    return this.head.kind
  }

  get apiVersion(): string {
    return this.head.apiVersion
  }

  get metadata(): Obj {
    return this.head.metadata
  }

  get items(): Obj[] {
    this.parsed ??= this.texts.map((t) => JSON.parse(t) as Obj)
    return this.parsed
  }

  toObject(): Obj {
    return {...this.head, items: this.items}
  }

  /**
   * The list as JSON text in pieces, items spliced in without being parsed or re-encoded. A big list
   * does not fit one string (V8 caps a string at ~512 MiB; 150,000 pods are ~660 MiB), so the HTTP
   * server writes these pieces one after another.
   */
  *jsonChunks(itemsPerChunk = 1000): Generator<string> {
    const head = JSON.stringify(this.head)
    yield `${head.slice(0, -1)},"items":[`
    for (let i = 0; i < this.texts.length; i += itemsPerChunk) {
      const part = this.texts.slice(i, i + itemsPerChunk).join(',')
      yield i === 0 ? part : `,${part}`
    }
    yield ']}'
  }

  /** The whole list as one JSON text (lists that fit in a string). */
  toJsonText(): string {
    return [...this.jsonChunks()].join('')
  }

  toJSON(): Obj {
    return this.toObject()
  }
}

/** Replaces a RawList body by the plain object, for callers that work with objects. */
export function materialize<T extends {body: unknown}>(res: T): T {
  return res.body instanceof RawList ? {...res, body: res.body.toObject()} : res
}
