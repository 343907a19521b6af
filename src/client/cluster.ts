// The one interface every command talks to, whatever is behind it: the embedded emulated cluster
// (LocalCluster, in-process), the emulator server or a real cluster (HttpCluster, over HTTPS).
import type {ApiRequest, ApiResponse} from '../apiserver/types.js'
import type {ResourceInfo} from '../api/registry.js'

export interface ServedResourceInfo extends ResourceInfo {}

export interface Discovery {
  resources: ServedResourceInfo[]
  /** Groups in discovery order with their preferred versions. */
  groups: Array<{name: string; versions: string[]; preferredVersion: string}>
}

export interface Cluster {
  /** What is behind it, for messages: `embedded cluster in ~/.kube2/clusters/default`, a server URL, ... */
  readonly description: string
  request(req: ApiRequest): Promise<ApiResponse>
  discovery(): Promise<Discovery>
  /** A streaming GET (logs with follow=true, watches): the body as it arrives. */
  stream?(req: ApiRequest): Promise<AsyncIterable<string>>
  /** Reads discovery from the server again (clusters that cache it). */
  refreshDiscovery?(): Promise<Discovery>
  /** Whether the discovery in use came from a cache (so a miss may be stale). */
  readonly discoveryFromCache?: boolean
  /** The namespace to use when none is given (-n, the object's own): the context's, or `default`. */
  defaultNamespace(): string
  /** The server's /version document (major, minor, gitVersion, platform, ...). */
  serverVersion(): Promise<Record<string, unknown>>
  /** The Kubernetes release the cluster serves (`1.36`), for client-side validation. */
  kubernetesVersion(): Promise<string>
  close(): Promise<void>
}
