// The kubelet's event and status texts (pkg/kubelet/images, kuberuntime, prober), per release.
import {goDuration} from './time.js'
import type {Release} from './release.js'
import {gates} from './release.js'

export const REASON = {
  pulling: 'Pulling',
  pulled: 'Pulled',
  failed: 'Failed',
  backOff: 'BackOff',
  created: 'Created',
  started: 'Started',
  killing: 'Killing',
  unhealthy: 'Unhealthy',
  neverPull: 'ErrImageNeverPull',
} as const

/** 1.33 put a colon after "Created container"; 1.35 dropped the container name from both texts. */
export function createdMessage(r: Release, container: string): string {
  if (r.minor >= 35) return 'Container created'
  if (r.minor >= 33) return `Created container: ${container}`
  return `Created container ${container}`
}

export function startedMessage(r: Release, container: string): string {
  return r.minor >= 35 ? 'Container started' : `Started container ${container}`
}

export function killingMessage(container: string): string {
  return `Stopping container ${container}`
}

export function pullingMessage(image: string): string {
  return `Pulling image ${goQuote(image)}`
}

export function pulledMessage(r: Release, image: string, pullMs: number, totalMs: number, sizeBytes: number): string {
  const base = `Successfully pulled image ${goQuote(image)} in ${goDuration(pullMs)} (${goDuration(totalMs)} including waiting)`
  return gates.pulledImageSize(r) ? `${base}. Image size: ${sizeBytes} bytes.` : base
}

export function alreadyPresentMessage(r: Release, image: string): string {
  const base = `Container image ${goQuote(image)} already present on machine`
  return gates.ensureSecretPulledImages(r) ? `${base} and can be accessed by the pod` : base
}

export function pullFailedMessage(image: string, error: string): string {
  return `Failed to pull image ${goQuote(image)}: ${error}`
}

export function pullBackOffEventMessage(image: string): string {
  return `Back-off pulling image ${goQuote(image)}`
}

/** state.waiting.message of ImagePullBackOff: since 1.32 with the error of the last pull. */
export function pullBackOffWaitingMessage(r: Release, image: string, lastError: string): string {
  const base = pullBackOffEventMessage(image)
  return gates.pullBackOffCarriesError(r) ? `${base}: ErrImagePull: ${lastError}` : base
}

export function neverPullMessage(image: string): string {
  return `Container image ${goQuote(image)} is not present with pull policy of Never`
}

/** format.Pod: name_namespace(uid). */
export function podDesc(name: string, namespace: string, uid: string): string {
  return `${name}_${namespace}(${uid})`
}

export function crashBackOffEventMessage(container: string, pod: string): string {
  return `Back-off restarting failed container ${container} in pod ${pod}`
}

export function crashBackOffWaitingMessage(backOffMs: number, container: string, pod: string): string {
  return `back-off ${goDuration(backOffMs)} restarting failed container=${container} pod=${pod}`
}

export function errorMessage(reason: string): string {
  return `Error: ${reason}`
}

export function unhealthyMessage(probe: 'Readiness' | 'Liveness' | 'Startup', output: string): string {
  return `${probe} probe failed: ${output}`
}

/** Go's %q for the strings the kubelet quotes (image names): JSON escaping matches for printable text. */
export function goQuote(s: string): string {
  return JSON.stringify(s)
}
