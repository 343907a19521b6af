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

  /** The list as JSON text, items spliced in without being parsed or re-encoded. */
  toJsonText(): string {
    const head = JSON.stringify(this.head)
    return `${head.slice(0, -1)},"items":[${this.texts.join(',')}]}`
  }

  toJSON(): Obj {
    return this.toObject()
  }
}

/** Replaces a RawList body by the plain object, for callers that work with objects. */
export function materialize<T extends {body: unknown}>(res: T): T {
  return res.body instanceof RawList ? {...res, body: res.body.toObject()} : res
}
