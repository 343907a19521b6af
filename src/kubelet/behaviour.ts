// How one container behaves in the simulation: its image's rule in the profile, the pod's
// `kube2.dev/*` annotations and its command decide pulls, run time, exit, logs and stop.
import {pickInt} from './hash.js'
import {imageID, imageMatches, normalizeImage, type ImageRef} from './images.js'
import {obj, objs, str, type Obj} from './obj.js'
import {SIMULATIONS, type LogProfile, type PodProfile, type ResolvedImageRule, type Simulation, type StopProfile, type UsageAmount} from './profile.js'
import type {ContainerRole} from './model.js'
import type {Release} from './release.js'
import {scriptPlan, type ScriptPlan} from './shell.js'

export const ANNOTATION_PREFIX = 'kube2.dev/'
export const SIMULATE_ANNOTATION = 'kube2.dev/simulate'
export const RUN_SECONDS_ANNOTATION = 'kube2.dev/run-seconds'
export const EXIT_CODE_ANNOTATION = 'kube2.dev/exit-code'

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never'

export type RunPlan =
  | {kind: 'forever'}
  | {kind: 'exit'; ms: number; exitCode: number; reason: 'Completed' | 'Error' | 'OOMKilled'}

export interface PodContext {
  pod: Obj
  uid: string
  name: string
  namespace: string
  /** format.Pod: name_namespace(uid). */
  desc: string
  profile: PodProfile
  release: Release
  restartPolicy: RestartPolicy
  nodeImages: ReadonlySet<string>
  annotations: Record<string, string>
  /** containerd, cri-o: the scheme of container ids. */
  runtime: string
  /** containerd://2.1.4: what nodeInfo.containerRuntimeVersion says. */
  runtimeVersion: string
}

export interface ContainerBehaviour {
  name: string
  role: ContainerRole
  spec: Obj
  fieldPath: string
  /** The restart policy that applies to this container. */
  restartPolicy: RestartPolicy
  image: string
  ref: ImageRef
  imageID: string
  simulate: Simulation
  pullPolicy: 'Always' | 'IfNotPresent' | 'Never'
  presentOnNode: boolean
  /** imagePullPolicy Never and the image is missing: ErrImageNeverPull forever. */
  neverPullMissing: boolean
  pullFails: boolean
  pullError: string
  sizeBytes: number
  pullSeconds: number
  run: RunPlan
  script?: ScriptPlan
  logs: LogProfile
  stop: StopProfile
  usage?: UsageAmount
}

/** For each rule field, the first matching rule that sets it. */
export function resolveImageRule(profile: PodProfile, image: string): ResolvedImageRule {
  const out: ResolvedImageRule = {}
  for (const rule of profile.images) {
    if (!imageMatches(rule.match, image)) continue
    for (const [k, v] of Object.entries(rule)) {
      if (k === 'match' || v === undefined) continue
      if ((out as Record<string, unknown>)[k] === undefined) (out as Record<string, unknown>)[k] = v
    }
  }
  return out
}

function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const ref = normalizeImage(image)
  return ref.digest === undefined && ref.tag === 'latest' ? 'Always' : 'IfNotPresent'
}

/** A container's annotation, or the pod-wide one when `podWide` allows it. */
function annotation(ctx: PodContext, key: string, container: string, podWide: boolean): {key: string; value: string} | undefined {
  const own = `${key}.${container}`
  if (ctx.annotations[own] !== undefined) return {key: own, value: ctx.annotations[own]}
  if (podWide && ctx.annotations[key] !== undefined) return {key, value: ctx.annotations[key]}
  return undefined
}

function seconds(v: string): number | undefined {
  return /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined
}

/** Annotation values that make no sense, as messages for a Warning event. */
export function annotationProblems(ctx: PodContext, containers: readonly string[]): string[] {
  const problems: string[] = []
  for (const [key, value] of Object.entries(ctx.annotations)) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue
    const [base, container] = key.split(/\.(?=[^/]*$)/)
    const known = [SIMULATE_ANNOTATION, RUN_SECONDS_ANNOTATION, EXIT_CODE_ANNOTATION]
    const baseKey = known.includes(key) ? key : base
    if (!known.includes(baseKey)) continue
    if (baseKey !== key && container !== undefined && !containers.includes(container)) {
      problems.push(`annotation ${key}: the pod has no container named ${JSON.stringify(container)}`)
    } else if (baseKey === SIMULATE_ANNOTATION && !SIMULATIONS.includes(value as Simulation)) {
      problems.push(`annotation ${key}: unknown simulation ${JSON.stringify(value)} (want one of ${SIMULATIONS.join(', ')})`)
    } else if (baseKey === RUN_SECONDS_ANNOTATION && seconds(value) === undefined) {
      problems.push(`annotation ${key}: ${JSON.stringify(value)} is not a number of seconds`)
    } else if (baseKey === EXIT_CODE_ANNOTATION && !/^\d{1,3}$/.test(value.trim())) {
      problems.push(`annotation ${key}: ${JSON.stringify(value)} is not an exit code`)
    }
  }
  return problems
}

function runPlan(ctx: PodContext, c: Obj, name: string, role: ContainerRole, simulate: Simulation, rule: ResolvedImageRule, script: ScriptPlan | undefined): RunPlan {
  const run = ctx.profile.run
  const regular = role === 'regular'
  const runSeconds = annotation(ctx, RUN_SECONDS_ANNOTATION, name, regular)
  const runMs = runSeconds ? seconds(runSeconds.value) : undefined
  const exitAnno = annotation(ctx, EXIT_CODE_ANNOTATION, name, regular)
  const exitCode = exitAnno && /^\d{1,3}$/.test(exitAnno.value.trim()) ? Number(exitAnno.value) & 255 : undefined
  const ms = (s: number) => Math.round(s * 1000)
  switch (simulate) {
    case 'crashloop':
      return {kind: 'exit', ms: ms(runMs ?? run.crashSeconds), exitCode: exitCode || run.failExitCode, reason: 'Error'}
    case 'oomkilled':
      return {kind: 'exit', ms: ms(runMs ?? run.oomSeconds), exitCode: 137, reason: 'OOMKilled'}
    case 'fail': {
      const base = runMs ?? (role === 'init' ? run.initSeconds : ctx.restartPolicy === 'Always' ? run.crashSeconds : run.jobSeconds)
      return {kind: 'exit', ms: ms(base), exitCode: exitCode || run.failExitCode, reason: 'Error'}
    }
    default:
      break
  }
  const exit = (s: number, code = exitCode ?? 0): RunPlan => ({kind: 'exit', ms: ms(s), exitCode: code, reason: code === 0 ? 'Completed' : 'Error'})
  if (runMs !== undefined) return exit(runMs)
  if (script) return script.endMs === undefined ? {kind: 'forever'} : exit(script.endMs / 1000, exitCode ?? script.exitCode)
  const ownCommand = Array.isArray(c.command) || Array.isArray(c.args)
  const interactive = c.stdin === true || c.tty === true
  if (rule.run && !ownCommand && !interactive) return exit(rule.run.seconds, exitCode ?? rule.run.exitCode)
  if (role === 'init') return exit(run.initSeconds)
  if (role === 'regular' && ctx.restartPolicy !== 'Always') return exit(run.jobSeconds)
  if (exitCode !== undefined) return exit(run.jobSeconds)
  return {kind: 'forever'}
}

export function containerBehaviour(ctx: PodContext, c: Obj, role: ContainerRole): ContainerBehaviour {
  const name = str(c.name) ?? ''
  const image = str(c.image) ?? ''
  const ref = normalizeImage(image)
  const rule = resolveImageRule(ctx.profile, image)
  const regular = role === 'regular'
  const simAnno = annotation(ctx, SIMULATE_ANNOTATION, name, regular)
  const simulate: Simulation = simAnno && SIMULATIONS.includes(simAnno.value as Simulation) ? (simAnno.value as Simulation) : (rule.simulate ?? 'none')
  const policyText = str(c.imagePullPolicy)
  const pullPolicy = policyText === 'Always' || policyText === 'IfNotPresent' || policyText === 'Never' ? policyText : defaultPullPolicy(image)
  const pullFails = simulate === 'imagepullbackoff'
  const preloaded = imageMatches(ctx.profile.preloadedImages, image)
  const onNode = ctx.nodeImages.has(image) || ctx.nodeImages.has(ref.normalized) || preloaded
  // The emulator has no registry: with pull policy Never an image counts as loaded unless it is one
  // that is meant to fail.
  const presentOnNode = pullPolicy === 'Never' ? !pullFails : onNode && !pullFails
  const script = scriptPlan(c, ctx.name)
  const logs = ctx.profile.logs[rule.logs ?? 'generic'] ?? {start: [], every: 0, periodic: [], crash: [], stop: []}
  const stop: StopProfile = {...ctx.profile.stop, ...rule.stop}
  // A shell (or a bare `sleep`) as PID 1 ignores SIGTERM whatever the image.
  if (script && obj(c.lifecycle) === undefined) stop.ignoreSigterm = true
  const restartPolicy: RestartPolicy = role === 'sidecar' ? 'Always' : role === 'init' ? (ctx.restartPolicy === 'Never' ? 'Never' : 'OnFailure') : ctx.restartPolicy
  return {
    name,
    role,
    spec: c,
    fieldPath: `spec.${role === 'regular' ? 'containers' : 'initContainers'}{${name}}`,
    restartPolicy,
    image,
    ref,
    imageID: imageID(image),
    simulate,
    pullPolicy,
    presentOnNode,
    neverPullMissing: pullPolicy === 'Never' && !presentOnNode,
    pullFails,
    pullError: (rule.pullError ?? 'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": {ref}: not found')
      .replaceAll('{ref}', ref.normalized)
      .replaceAll('{image}', image),
    // Without a size in the profile, a plausible one fixed by the image name.
    sizeBytes: rule.sizeBytes ?? pickInt(20_000_000, 250_000_000, `size:${ref.normalized}`),
    pullSeconds: rule.pullSeconds ?? ctx.profile.timing.pullSeconds,
    run: runPlan(ctx, c, name, role, simulate, rule, script),
    script,
    logs,
    stop,
    usage: rule.usage,
  }
}

/** Containers in start order with their roles: init (sidecars are init containers that restart), then regular. */
export function podContainers(pod: Obj): Array<{c: Obj; role: ContainerRole}> {
  const s = obj(pod.spec) ?? {}
  return [
    ...objs(s.initContainers).map((c) => ({c, role: (c.restartPolicy === 'Always' ? 'sidecar' : 'init') as ContainerRole})),
    ...objs(s.containers).map((c) => ({c, role: 'regular' as ContainerRole})),
  ]
}
