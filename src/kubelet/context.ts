// Everything about a pod and its node that the simulation needs once: names, restart policy,
// release, runtime, host addresses.
import type {PodContext, RestartPolicy} from './behaviour.js'
import {sha256Hex} from './hash.js'
import {podDesc} from './messages.js'
import {annotations, meta, obj, objs, spec, str, type Obj} from './obj.js'
import type {PodProfile} from './profile.js'
import {defaultContainerRuntime, release} from './release.js'

export interface ContextArgs {
  pod: Obj
  profile: PodProfile
  kubernetesVersion?: string
  nodeImages?: ReadonlySet<string>
}

export function podContext(args: ContextArgs): PodContext {
  const m = meta(args.pod)
  const name = str(m.name) ?? ''
  const namespace = str(m.namespace) ?? 'default'
  const uid = str(m.uid) ?? `${namespace}/${name}`
  const policy = str(spec(args.pod).restartPolicy)
  const restartPolicy: RestartPolicy = policy === 'OnFailure' || policy === 'Never' ? policy : 'Always'
  const r = release(args.kubernetesVersion)
  const runtimeVersion = args.profile.node.containerRuntimeVersion || defaultContainerRuntime(r)
  return {
    pod: args.pod,
    uid,
    name,
    namespace,
    desc: podDesc(name, namespace, uid),
    profile: args.profile,
    release: r,
    restartPolicy,
    nodeImages: args.nodeImages ?? new Set(),
    annotations: annotations(args.pod),
    runtime: runtimeVersion.split('://')[0] || 'containerd',
    runtimeVersion,
  }
}

/** The node's address when it has not reported one: fixed by its name, like a kind node's. */
export function derivedNodeIP(nodeName: string): string {
  const n = parseInt(sha256Hex(`node:${nodeName}`).slice(0, 4), 16)
  return `172.18.${Math.floor(n / 250) % 250}.${2 + (n % 250)}`
}

/** The node's IPs in the order pods report them (hostIPs): its InternalIPs, one per family. */
export function nodeHostIPs(node: Obj): string[] {
  const addresses = objs(obj(node.status)?.addresses)
  const pick = (type: string) => addresses.filter((a) => a.type === type).map((a) => str(a.address) ?? '').filter((a) => a !== '')
  const candidates = [...pick('InternalIP'), ...pick('ExternalIP')]
  const out: string[] = []
  for (const ip of candidates) {
    if (out.length === 0 || (out.length === 1 && ip.includes(':') !== out[0].includes(':'))) out.push(ip)
  }
  if (out.length === 0) out.push(derivedNodeIP(str(meta(node).name) ?? ''))
  return out
}
