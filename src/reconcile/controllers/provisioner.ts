// kind's dynamic provisioner, rancher.io/local-path (local-path-provisioner on
// sig-storage-lib-external-provisioner), as a component of the emulated control plane.
//
// It provisions for claims the PV controller handed to it (the `volume.kubernetes.io/storage-provisioner`
// annotation names it) — for WaitForFirstConsumer classes once the scheduler has chosen a node
// (`volume.kubernetes.io/selected-node`) — a PV named `pvc-<claim uid>`: a hostPath directory
// /var/local-path-provisioner/<pv>_<namespace>_<claim> (DirectoryOrCreate) pinned to the node by a
// required nodeAffinity on kubernetes.io/hostname, capacity = the request, the claim's access modes,
// the class's reclaimPolicy, pre-bound to the claim (claimRef with uid) and annotated
// pv.kubernetes.io/provisioned-by; the PV controller then binds the claim to it. Events on the claim:
// Provisioning, ProvisioningSucceeded, ProvisioningFailed (texts of the library and of local-path).
// Like local-path, it needs a node: an Immediate class fails ("no node was specified"), as do
// selectors, access modes other than ReadWriteOnce/ReadWriteOncePod and Block volumes. Failures are
// retried with the library's exponential back-off (15 s doubling to 1000 s, at most 15 times).
//
// Released volumes it provisioned with reclaimPolicy Delete are deleted (the directory cleanup of
// the real helper pod is not simulated, nor its time). Left out: the helper pods, the
// local-path-storage namespace/Deployment, per-node path maps and shared-filesystem mode.
import type {Obj} from '../../apiserver/types.js'
import {ApiError} from '../../apiserver/errors.js'
import {randomSuffix, seededRandom, uuid} from '../../apiserver/objects.js'
import type {Controller, ControllerContext, ControllerManager} from '../manager.js'
import type {EventType} from '../events.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {
  ANN_BETA_STORAGE_PROVISIONER, ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER,
  annotationsOf, claimClass, claimKey, claimRefTo, meta, spec, status,
} from './volume-util.js'

export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path'
/** kind's local-path config: every node's volumes live under this directory. */
export const LOCAL_PATH_BASE = '/var/local-path-provisioner'
export const LOCAL_PATH_NODE_ANNOTATION = 'local.path.provisioner/selected-node'
const HOSTNAME_LABEL = 'kubernetes.io/hostname'
/** The library's exponential failure back-off and failedProvisionThreshold. */
const BACKOFF_BASE_MS = 15_000
const BACKOFF_MAX_MS = 1_000_000
const FAILED_PROVISION_THRESHOLD = 15

/** The provisioner's identity as its events show it: `<name>_<pod>_<uuid>`. */
export function provisionerIdentity(seed: number): string {
  const r = seededRandom(seed ^ 0x5eed10ca)
  return `${LOCAL_PATH_PROVISIONER}_local-path-provisioner-${randomSuffix(r, 10)}-${randomSuffix(r, 5)}_${uuid(r)}`
}

class ProvisionError extends Error {}

export class LocalPathProvisioner implements Reconciler {
  readonly name = 'local-path-provisioner'
  /** Failed attempts per claim uid (reset when a PV exists). */
  private readonly failures = new Map<string, number>()
  controller?: Controller

  constructor(private readonly ctx: ControllerContext, readonly identity: string) {}

  private event(o: Obj, type: EventType, reason: string, message: string): void {
    this.ctx.recorder({component: this.identity}).event(o, type, reason, message)
  }

  reconcile(key: ObjectKey): ReconcileResult {
    if (key.namespace) {
      const claim = this.ctx.informer(RESOURCES.persistentvolumeclaims).get(key.namespace, key.name)
      return claim ? this.syncClaim(claim) : 'done'
    }
    const volume = this.ctx.informer(RESOURCES.persistentvolumes).get(undefined, key.name)
    if (volume) this.syncVolume(volume)
    return 'done'
  }

  // ---- provisioning ----------------------------------------------------------------------------

  /**
   * shouldProvision: unbound, handed to us, and for WaitForFirstConsumer a node chosen. Returns the
   * claim's class, 'no' or 'missing-class' (an error the library retries with back-off).
   */
  private shouldProvision(claim: Obj): Obj | 'no' | 'missing-class' {
    if (spec(claim).volumeName) return 'no'
    const a = annotationsOf(claim)
    const provisioner = a[ANN_STORAGE_PROVISIONER] ?? a[ANN_BETA_STORAGE_PROVISIONER]
    if (provisioner !== LOCAL_PATH_PROVISIONER) return 'no'
    const sc = this.ctx.informer(RESOURCES.storageclasses).get(undefined, claimClass(claim))
    if (!sc) return 'missing-class'
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !a[ANN_SELECTED_NODE]) return 'no'
    return sc
  }

  private syncClaim(claim: Obj): ReconcileResult {
    const uid = String(meta(claim).uid)
    const sc = this.shouldProvision(claim)
    if (sc === 'no') return 'done'
    if (sc === 'missing-class') return this.backOff(uid)
    const pvName = `pvc-${uid}`
    if (this.ctx.informer(RESOURCES.persistentvolumes).get(undefined, pvName)) {
      this.failures.delete(uid)
      return 'done'
    }
    if (spec(claim).volumeMode === 'Block') {
      this.event(claim, 'Warning', 'ProvisioningFailed', `${LOCAL_PATH_PROVISIONER} does not support block volume provisioning`)
      return 'done'
    }
    if (sc.provisioner !== LOCAL_PATH_PROVISIONER) return 'done'
    const nodeName = annotationsOf(claim)[ANN_SELECTED_NODE]
    let node: Obj | undefined
    if (nodeName) {
      node = this.ctx.informer(RESOURCES.nodes).get(undefined, nodeName)
      if (!node) {
        // The chosen node is gone: let the scheduler choose again.
        this.event(claim, 'Warning', 'ProvisioningFailed', `node "${nodeName}" not found`)
        const annotations = {...annotationsOf(claim)}
        delete annotations[ANN_SELECTED_NODE]
        this.ctx.client.update(RESOURCES.persistentvolumeclaims, {...claim, metadata: {...meta(claim), annotations}})
        return 'done'
      }
    }
    this.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claimKey(claim)}"`)
    let pv: Obj
    try {
      pv = this.provision(claim, sc, pvName, node)
    } catch (e) {
      if (!(e instanceof ProvisionError)) throw e
      this.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${claimClass(claim)}": ${e.message}`)
      return this.backOff(uid)
    }
    try {
      this.ctx.client.create(RESOURCES.persistentvolumes, undefined, pv)
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 409)) throw e
    }
    this.failures.delete(uid)
    this.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`)
    return 'done'
  }

  /** Retries a failed claim later; after the threshold it is left alone until it changes. */
  private backOff(uid: string): ReconcileResult {
    const n = (this.failures.get(uid) ?? 0) + 1
    this.failures.set(uid, n)
    if (n >= FAILED_PROVISION_THRESHOLD) return 'done'
    return {requeueAfterMs: Math.min(BACKOFF_BASE_MS * 2 ** (n - 1), BACKOFF_MAX_MS), background: true}
  }

  /** local-path's Provision: the PV object for a directory on the selected node. */
  private provision(claim: Obj, sc: Obj, pvName: string, node: Obj | undefined): Obj {
    if (spec(claim).selector) throw new ProvisionError('claim.Spec.Selector is not supported')
    for (const mode of (spec(claim).accessModes ?? []) as string[]) {
      if (mode !== 'ReadWriteOnce' && mode !== 'ReadWriteOncePod') {
        throw new ProvisionError('NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes')
      }
    }
    if (!node) throw new ProvisionError('configuration error, no node was specified')
    const nodeName = String(meta(node).name)
    const hostname = ((meta(node).labels ?? {}) as Record<string, string>)[HOSTNAME_LABEL] ?? nodeName
    const storage = (((spec(claim).resources as Obj | undefined)?.requests ?? {}) as Obj).storage
    return {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: {
        name: pvName,
        annotations: {[LOCAL_PATH_NODE_ANNOTATION]: nodeName, [ANN_DYNAMICALLY_PROVISIONED]: LOCAL_PATH_PROVISIONER},
      },
      spec: {
        accessModes: spec(claim).accessModes,
        capacity: {storage},
        claimRef: claimRefTo(claim),
        hostPath: {path: `${LOCAL_PATH_BASE}/${pvName}_${meta(claim).namespace}_${meta(claim).name}`, type: 'DirectoryOrCreate'},
        nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: HOSTNAME_LABEL, operator: 'In', values: [hostname]}]}]}},
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: claimClass(claim),
        volumeMode: 'Filesystem',
      },
    }
  }

  // ---- deletion --------------------------------------------------------------------------------

  /** shouldDelete: ours, Released, reclaimPolicy Delete, not already being deleted. */
  private syncVolume(volume: Obj): void {
    if (annotationsOf(volume)[ANN_DYNAMICALLY_PROVISIONED] !== LOCAL_PATH_PROVISIONER) return
    if (meta(volume).deletionTimestamp) return
    if (status(volume).phase !== 'Released' || spec(volume).persistentVolumeReclaimPolicy !== 'Delete') return
    const problem = localPathOf(volume)
    if (problem) {
      this.event(volume, 'Warning', 'VolumeFailedDelete', `failed to delete volume ${meta(volume).name}: ${problem}`)
      return
    }
    this.ctx.client.delete(RESOURCES.persistentvolumes, undefined, String(meta(volume).name))
  }

  wire(c: Controller, ctx: ControllerContext): void {
    this.controller = c
    const claimKeyOf = (o: Obj): ObjectKey => ({namespace: String(meta(o).namespace), name: String(meta(o).name)})
    ctx.informer(RESOURCES.nodes)
    ctx.informer(RESOURCES.storageclasses)
    ctx.informer(RESOURCES.persistentvolumeclaims).addHandlers({
      onAdd: (o) => c.enqueue(claimKeyOf(o)),
      onUpdate: (_old, o) => c.enqueue(claimKeyOf(o)),
      onDelete: (o) => this.failures.delete(String(meta(o).uid)),
    })
    ctx.informer(RESOURCES.persistentvolumes).addHandlers({
      onAdd: (o) => c.enqueue({name: String(meta(o).name)}),
      onUpdate: (_old, o) => c.enqueue({name: String(meta(o).name)}),
    })
  }
}

/** getPathAndNodeForPV: what is wrong with a volume's hostPath and node affinity ("" when fine). */
function localPathOf(volume: Obj): string {
  const hostPath = spec(volume).hostPath as Obj | undefined
  if (!hostPath?.path) return 'no HostPath set'
  const required = (spec(volume).nodeAffinity as Obj | undefined)?.required as Obj | undefined
  if (!spec(volume).nodeAffinity) return 'no NodeAffinity set'
  if (!required) return 'no NodeAffinity.Required set'
  for (const term of (required.nodeSelectorTerms ?? []) as Obj[]) {
    for (const e of (term.matchExpressions ?? []) as Obj[]) {
      if (e.key === HOSTNAME_LABEL && e.operator === 'In') return ((e.values ?? []) as string[]).length === 1 ? '' : 'multiple values for the node affinity'
    }
  }
  return 'cannot find affinited node'
}

export function addLocalPathProvisioner(m: ControllerManager, env: {seed: number}): LocalPathProvisioner {
  const p = new LocalPathProvisioner(m, provisionerIdentity(env.seed))
  m.add(p, (c, ctx) => p.wire(c, ctx))
  return p
}
