// What changes with the emulated Kubernetes release: which status fields and conditions the kubelet
// writes (feature gates on by default) and the wording of its events.

export interface Release {
  /** 1.NN */
  minor: number
  /** The kubelet's gitVersion, v1.NN.P. */
  version: string
}

export const DEFAULT_KUBERNETES_VERSION = '1.36'

export function release(kubernetesVersion: string = DEFAULT_KUBERNETES_VERSION): Release {
  const m = /^v?1\.(\d+)(?:\.(\d+))?/.exec(kubernetesVersion.trim())
  if (!m) throw new Error(`unsupported Kubernetes version ${JSON.stringify(kubernetesVersion)} (want 1.28 to 1.36)`)
  const minor = Number(m[1])
  return {minor, version: `v1.${minor}.${m[2] ?? '0'}`}
}

/** Feature gates (their default per release) that shape what the kubelet writes. */
export const gates = {
  // PodReadyToStartContainersCondition: beta and on since 1.29.
  podReadyToStartContainers: (r: Release) => r.minor >= 29,
  // PodHostIPs: beta and on since 1.29.
  hostIPs: (r: Release) => r.minor >= 29,
  // Pulled events name the image size since 1.30.
  pulledImageSize: (r: Release) => r.minor >= 30,
  // RecursiveReadOnlyMounts: beta and on since 1.31; container statuses list their volume mounts.
  volumeMountStatus: (r: Release) => r.minor >= 31,
  // ImagePullBackOff's message carries the last pull error since 1.32.
  pullBackOffCarriesError: (r: Release) => r.minor >= 32,
  // InPlacePodVerticalScaling: beta and on since 1.33; started containers report their resources.
  containerResourcesStatus: (r: Release) => r.minor >= 33,
  allocatedResourcesStatus: (r: Release) => r.minor >= 34,
  // SupplementalGroupsPolicy: beta and on since 1.33 (reported when the runtime supports it).
  containerUserStatus: (r: Release) => r.minor >= 33,
  // DisableNodeKubeProxyVersion: on since 1.33; the kubelet leaves nodeInfo.kubeProxyVersion empty.
  emptyKubeProxyVersion: (r: Release) => r.minor >= 33,
  // PodObservedGenerationTracking: beta and on since 1.34.
  observedGeneration: (r: Release) => r.minor >= 34,
  // KubeletEnsureSecretPulledImages: beta and on since 1.35.
  ensureSecretPulledImages: (r: Release) => r.minor >= 35,
}

/** The container runtime a kind-like node of that release ships. */
export function defaultContainerRuntime(r: Release): string {
  if (r.minor <= 31) return 'containerd://1.7.18'
  if (r.minor === 32) return 'containerd://2.0.3'
  if (r.minor === 33) return 'containerd://2.1.1'
  return 'containerd://2.1.4'
}
