// How controllers talk to the API server in-process: the same handle() every client uses (so
// admission, validation and watches apply to controllers' writes too), with failures as ApiErrors.
import type {ApiServer} from '../apiserver/server.js'
import {ApiError, type Status} from '../apiserver/errors.js'
import {materialize} from '../apiserver/raw-list.js'
import type {ApiRequest, ApiResponse, Obj, PatchType, WatchStream} from '../apiserver/types.js'
import type {ResourceRef} from './types.js'

export class ControllerClient {
  constructor(private readonly apiserver: ApiServer, readonly manager: string) {}

  private call(ref: ResourceRef, req: Omit<ApiRequest, 'group' | 'version' | 'resource'>): ApiResponse {
    const res = materialize(this.apiserver.handle({...req, group: ref.group, version: ref.version, resource: ref.resource, userAgent: this.manager}))
    if (res.status >= 300) throw new ApiError(res.body as Status)
    return res
  }

  get(ref: ResourceRef, namespace: string | undefined, name: string): Obj | undefined {
    try {
      return this.call(ref, {verb: 'get', namespace, name}).body as Obj
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return undefined
      throw e
    }
  }

  list(ref: ResourceRef, namespace?: string, labelSelector?: string): {items: Obj[]; resourceVersion: string} {
    const body = this.call(ref, {verb: 'list', namespace, query: labelSelector ? {labelSelector} : {}}).body as {items: Obj[]; metadata: {resourceVersion: string}}
    return {items: body.items, resourceVersion: body.metadata.resourceVersion}
  }

  create(ref: ResourceRef, namespace: string | undefined, obj: Obj): Obj {
    return this.call(ref, {verb: 'create', namespace, body: obj, query: {fieldManager: this.manager}}).body as Obj
  }

  update(ref: ResourceRef, obj: Obj, subresource?: string): Obj {
    const m = obj.metadata as Obj
    return this.call(ref, {verb: 'update', namespace: m.namespace as string | undefined, name: String(m.name), body: obj, subresource, query: {fieldManager: this.manager}}).body as Obj
  }

  updateStatus(ref: ResourceRef, obj: Obj): Obj {
    return this.update(ref, obj, 'status')
  }

  patch(ref: ResourceRef, namespace: string | undefined, name: string, type: PatchType, patch: unknown, subresource?: string): Obj {
    return this.call(ref, {verb: 'patch', namespace, name, patchType: type, body: patch, subresource, query: {fieldManager: this.manager}}).body as Obj
  }

  /** POSTs to a subresource of an object (pods/binding, pods/eviction). */
  createSubresource(ref: ResourceRef, namespace: string | undefined, name: string, subresource: string, body: Obj): Obj {
    return this.call(ref, {verb: 'create', namespace, name, subresource, body, query: {fieldManager: this.manager}}).body as Obj
  }

  /** Deletes; a missing object is not an error (it is what the controller wanted). */
  delete(ref: ResourceRef, namespace: string | undefined, name: string, options: Obj = {}): void {
    try {
      this.call(ref, {verb: 'delete', namespace, name, body: options})
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e
    }
  }

  watch(ref: ResourceRef, resourceVersion: string): WatchStream {
    return this.call(ref, {verb: 'watch', query: {resourceVersion, allowWatchBookmarks: 'false'}}).body as WatchStream
  }
}
