// The PersistentVolume controller of kube-controller-manager (pkg/controller/volume/persistentvolume,
// "persistentvolume-binder"): binds claims to volumes and keeps both sides' phases true.
//
// - Claims (syncClaim): an unbound claim gets the best matching volume (volume-util.findBestMatch:
//   pre-bound first, else the smallest Available one that fits), both sides are written — the PV's
//   claimRef (+ bound-by-controller when the controller chose it) and phase Bound, then the claim's
//   volumeName, bind-completed/bound-by-controller annotations and status (phase, accessModes,
//   capacity). Without a match, a claim of a WaitForFirstConsumer class waits for the scheduler's
//   selected-node annotation (event WaitForFirstConsumer / WaitForPodScheduled); a claim with a class
//   is handed to its external provisioner (storage-provisioner annotations, event ExternalProvisioning);
//   a claim without any class first gets the default class retroactively, else FailedBinding.
//   A bound claim whose volume is gone or taken goes Lost (ClaimLost / ClaimMisbound).
// - Volumes (syncVolume): no claimRef or a pre-bound one without uid -> Available; the claim gone
//   (or recreated with another uid) -> Released and the reclaim policy runs: Retain keeps it,
//   Delete leaves dynamically provisioned volumes of external provisioners to them (the local-path
//   provisioner deletes them) and deletes hostPath volumes under /tmp itself (the in-tree hostPath
//   deleter; other paths and other sources fail: phase Failed, VolumeFailedDelete), Recycle scrubs
//   hostPath/NFS volumes and makes them Available again.
// Like the real controller, claims and volumes are re-synced every 15 s (a background timer here),
// which is when the waiting events repeat (their counts grow).
//
// Left out: in-tree provisioner plugins (a `kubernetes.io/...` provisioner fails with "no volume
// plugin matched name"), CSI migration annotations, the recycler pod, volume expansion
// (pre-resize-capacity), VolumeAttributesClass checks, and the protection finalizers (their own controllers).
import type {Obj} from '../../apiserver/types.js'
import {parseQuantity} from '../../api/quantity.js'
import {claimHasClass, pickDefaultClass} from '../../apiserver/admission-storage.js'
import type {Controller, ControllerContext, ControllerManager} from '../manager.js'
import type {EventType} from '../events.js'
import {RESOURCES, type ObjectKey, type ReconcileResult, type Reconciler} from '../types.js'
import {
  ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER,
  annotationsOf, claimClass, claimRefTo, findBestMatch, hasAnnotation, isVolumeBoundToClaim, meta, podClaimNames, requestedStorage, spec, status,
  volumeCapacity, volumeModeMismatch, accessModesFit, volumeClass,
} from './volume-util.js'

export const PV_CONTROLLER_COMPONENT = 'persistentvolume-controller'
/** --pvclaimbinder-sync-period. */
export const PV_RESYNC_MS = 15_000
const ANN_MIGRATED_TO = 'pv.kubernetes.io/migrated-to'

const RESYNC: ReconcileResult = {requeueAfterMs: PV_RESYNC_MS, background: true}

export class PersistentVolumeBinder implements Reconciler {
  readonly name = 'persistentvolume-binder'
  controller?: Controller

  constructor(private readonly ctx: ControllerContext) {}

  private get recorder() {
    return this.ctx.recorder({component: PV_CONTROLLER_COMPONENT})
  }

  private event(o: Obj, type: EventType, reason: string, message: string): void {
    this.recorder.event(o, type, reason, message)
  }

  /** Claims are keyed `namespace/name`, volumes by name alone. */
  reconcile(key: ObjectKey): ReconcileResult {
    if (key.namespace) {
      const claim = this.ctx.informer(RESOURCES.persistentvolumeclaims).get(key.namespace, key.name)
      return claim ? this.syncClaim(claim) : 'done'
    }
    const volume = this.ctx.informer(RESOURCES.persistentvolumes).get(undefined, key.name)
    return volume ? this.syncVolume(volume) : 'done'
  }

  // ---- claims ----------------------------------------------------------------------------------

  private syncClaim(claim: Obj): ReconcileResult {
    if (!hasAnnotation(claim, ANN_BIND_COMPLETED)) return this.syncUnboundClaim(claim)
    this.syncBoundClaim(claim)
    return 'done'
  }

  private syncUnboundClaim(claim: Obj): ReconcileResult {
    const volumeName = String(spec(claim).volumeName ?? '')
    if (!volumeName) {
      const delayBinding = this.isDelayBindingMode(claim)
      const volume = findBestMatch(claim, this.ctx.informer(RESOURCES.persistentvolumes).list(), delayBinding)
      if (volume) {
        this.bind(volume, claim)
        return 'done'
      }
      // The update brings the claim back with its class.
      if (this.assignDefaultStorageClass(claim)) return 'done'
      if (delayBinding && !(ANN_SELECTED_NODE in annotationsOf(claim))) {
        this.emitWaitingForConsumer(claim)
      } else if (claimClass(claim) !== '') {
        this.provisionClaim(claim)
        return RESYNC
      } else {
        this.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set')
      }
      this.updateClaimStatus(claim, 'Pending', undefined)
      return RESYNC
    }
    // The user asked for a particular volume.
    const volume = this.ctx.informer(RESOURCES.persistentvolumes).get(undefined, volumeName)
    if (!volume) {
      this.updateClaimStatus(claim, 'Pending', undefined)
      return RESYNC
    }
    if (!spec(volume).claimRef) {
      const mismatch = this.unsatisfied(volume, claim)
      if (mismatch) {
        this.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volumeName}": ${mismatch}`)
        this.updateClaimStatus(claim, 'Pending', undefined)
        return RESYNC
      }
      this.bind(volume, claim)
      return 'done'
    }
    if (isVolumeBoundToClaim(volume, claim)) {
      this.bind(volume, claim)
      return 'done'
    }
    this.event(claim, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`)
    if (hasAnnotation(claim, ANN_BOUND_BY_CONTROLLER)) {
      const ref = spec(volume).claimRef as Obj
      throw new Error(`invalid binding of claim "${meta(claim).namespace}/${meta(claim).name}" to volume "${volumeName}": volume already claimed by "${ref.namespace}/${ref.name}"`)
    }
    this.updateClaimStatus(claim, 'Pending', undefined)
    return RESYNC
  }

  /** checkVolumeSatisfyClaim: why a requested volume cannot serve the claim ("" when it can). */
  private unsatisfied(volume: Obj, claim: Obj): string {
    if (meta(volume).deletionTimestamp) return `the volume is marked for deletion "${meta(volume).name}"`
    if (volumeCapacity(volume).cmp(requestedStorage(claim)) < 0) return 'requested PV is too small'
    if (volumeClass(volume) !== claimClass(claim)) return 'storageClassName does not match'
    if (volumeModeMismatch(claim, volume)) return 'incompatible volumeMode'
    if (!accessModesFit(claim, volume)) return 'incompatible accessMode'
    return ''
  }

  private syncBoundClaim(claim: Obj): void {
    const volumeName = String(spec(claim).volumeName ?? '')
    if (!volumeName) {
      this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!')
      return
    }
    const volume = this.ctx.informer(RESOURCES.persistentvolumes).get(undefined, volumeName)
    if (!volume) {
      this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!')
      return
    }
    const ref = spec(volume).claimRef as Obj | undefined
    if (!ref || ref.uid === meta(claim).uid) {
      this.bind(volume, claim)
      return
    }
    this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly')
  }

  /** IsDelayBindingMode: the claim's class exists and waits for the first consumer. */
  private isDelayBindingMode(claim: Obj): boolean {
    const cls = claimClass(claim)
    if (!cls) return false
    return this.ctx.informer(RESOURCES.storageclasses).get(undefined, cls)?.volumeBindingMode === 'WaitForFirstConsumer'
  }

  /** Retroactive default StorageClass: a claim without any class gets the default one. */
  private assignDefaultStorageClass(claim: Obj): boolean {
    if (claimHasClass(claim)) return false
    const def = pickDefaultClass(this.ctx.informer(RESOURCES.storageclasses).list())
    if (!def) return false
    this.ctx.client.update(RESOURCES.persistentvolumeclaims, {...claim, spec: {...spec(claim), storageClassName: meta(def).name}})
    return true
  }

  /** WaitForFirstConsumer, or WaitForPodScheduled naming the pending pods that use the claim. */
  private emitWaitingForConsumer(claim: Obj): void {
    const name = String(meta(claim).name)
    const pods = this.ctx.informer(RESOURCES.pods).list(String(meta(claim).namespace))
      .filter((p) => !spec(p).nodeName && !isTerminated(p) && podClaimNames(p).includes(name))
      .map((p) => String(meta(p).name))
    if (pods.length === 0) this.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding')
    else if (pods.length === 1) this.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pod ${pods[0]} to be scheduled`)
    else this.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pods ${pods.join(',')} to be scheduled`)
  }

  /** provisionClaim for external provisioners: annotate the claim for them and say so. */
  private provisionClaim(claim: Obj): void {
    const cls = claimClass(claim)
    const sc = this.ctx.informer(RESOURCES.storageclasses).get(undefined, cls)
    if (!sc) {
      this.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`)
      return
    }
    const provisioner = String(sc.provisioner ?? '')
    if (provisioner.startsWith('kubernetes.io/')) {
      // No in-tree provisioning plugin is emulated (kubernetes.io/no-provisioner has none either).
      this.event(claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`)
      return
    }
    let current = claim
    if (annotationsOf(claim)[ANN_STORAGE_PROVISIONER] !== provisioner) {
      try {
        current = this.ctx.client.update(RESOURCES.persistentvolumeclaims, {
          ...claim,
          metadata: {...meta(claim), annotations: {...annotationsOf(claim), [ANN_BETA_STORAGE_PROVISIONER]: provisioner, [ANN_STORAGE_PROVISIONER]: provisioner}},
        })
      } catch (e) {
        this.event(claim, 'Warning', 'ProvisioningFailed', `Error saving claim: ${(e as Error).message}`)
        throw e
      }
    }
    this.event(current, 'Normal', 'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`)
  }

  // ---- binding ---------------------------------------------------------------------------------

  /** Volume first (claimRef, then phase Bound), then the claim (volumeName + annotations, then status). */
  private bind(volume: Obj, claim: Obj): void {
    const pv = this.updateVolumePhase(this.bindVolumeToClaim(volume, claim), 'Bound', '')
    this.updateClaimStatus(this.bindClaimToVolume(claim, pv), 'Bound', pv)
  }

  private bindVolumeToClaim(volume: Obj, claim: Obj): Obj {
    const ref = spec(volume).claimRef as Obj | undefined
    const setBoundByController = !isVolumeBoundToClaim(volume, claim)
    let dirty = false
    const next: Obj = {...volume, metadata: {...meta(volume)}, spec: {...spec(volume)}}
    if (!ref || ref.name !== meta(claim).name || ref.namespace !== meta(claim).namespace || ref.uid !== meta(claim).uid) {
      ;(next.spec as Obj).claimRef = claimRefTo(claim)
      dirty = true
    }
    if (setBoundByController && !hasAnnotation(volume, ANN_BOUND_BY_CONTROLLER)) {
      ;(next.metadata as Obj).annotations = {...annotationsOf(volume), [ANN_BOUND_BY_CONTROLLER]: 'yes'}
      dirty = true
    }
    return dirty ? this.ctx.client.update(RESOURCES.persistentvolumes, next) : volume
  }

  private bindClaimToVolume(claim: Obj, volume: Obj): Obj {
    const annotations = {...annotationsOf(claim)}
    const next: Obj = {...claim, spec: {...spec(claim)}}
    let dirty = false
    if (spec(claim).volumeName !== meta(volume).name) {
      ;(next.spec as Obj).volumeName = meta(volume).name
      if (!(ANN_BOUND_BY_CONTROLLER in annotations)) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes'
      dirty = true
    }
    if (!(ANN_BIND_COMPLETED in annotations)) {
      annotations[ANN_BIND_COMPLETED] = 'yes'
      dirty = true
    }
    if (!dirty) return claim
    next.metadata = {...meta(claim), annotations}
    return this.ctx.client.update(RESOURCES.persistentvolumeclaims, next)
  }

  /** updateClaimStatus: phase, and accessModes/capacity from the volume (cleared without one). */
  private updateClaimStatus(claim: Obj, phase: string, volume: Obj | undefined): Obj {
    const old = status(claim)
    const next: Obj = {...old}
    let dirty = false
    if (old.phase !== phase) {
      next.phase = phase
      dirty = true
    }
    if (!volume) {
      if (old.accessModes !== undefined) {
        delete next.accessModes
        dirty = true
      }
      if (old.capacity !== undefined) {
        delete next.capacity
        dirty = true
      }
    } else {
      const modes = spec(volume).accessModes
      if (JSON.stringify(old.accessModes) !== JSON.stringify(modes)) {
        next.accessModes = modes
        dirty = true
      }
      // Capacity is copied when the claim becomes Bound, not later (a resize may differ on purpose).
      if (old.phase !== phase) {
        const cap = (spec(volume).capacity ?? {}) as Obj
        if (cap.storage === undefined) throw new Error(`PersistentVolume "${meta(volume).name}" is without a storage capacity`)
        const had = (old.capacity as Obj | undefined)?.storage
        if (had === undefined || volumeCapacity(volume).cmp(parseQuantity(had as string)) !== 0) {
          next.capacity = cap
          dirty = true
        }
      }
    }
    if (!dirty) return claim
    return this.ctx.client.updateStatus(RESOURCES.persistentvolumeclaims, {...claim, status: next})
  }

  /** Saves the new phase and records the event only when the phase changes. */
  private updateClaimStatusWithEvent(claim: Obj, phase: string, type: EventType, reason: string, message: string): void {
    if (status(claim).phase === phase) return
    const updated = this.updateClaimStatus(claim, phase, undefined)
    this.event(updated, type, reason, message)
  }

  // ---- volumes ---------------------------------------------------------------------------------

  private syncVolume(volume: Obj): ReconcileResult {
    const ref = spec(volume).claimRef as Obj | undefined
    if (!ref || !ref.uid) {
      // Unused, or reserved for a claim the claim's sync will bind.
      this.updateVolumePhase(volume, 'Available', '')
      return RESYNC
    }
    let claim = this.ctx.informer(RESOURCES.persistentvolumeclaims).get(String(ref.namespace ?? ''), String(ref.name))
    if (claim && meta(claim).uid !== ref.uid) claim = undefined // deleted and created again
    if (!claim) {
      let pv = volume
      if (status(volume).phase !== 'Released' && status(volume).phase !== 'Failed') pv = this.updateVolumePhase(volume, 'Released', '')
      this.reclaimVolume(pv)
      return RESYNC
    }
    if (!spec(claim).volumeName) {
      if (volumeModeMismatch(claim, volume)) {
        this.event(volume, 'Warning', 'VolumeMismatch', `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${meta(claim).name}" due to incompatible volumeMode.`)
        this.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind PersistentVolume "${meta(volume).name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`)
        return RESYNC
      }
      // Pre-bound (by a provisioner, the scheduler or a user): the claim's sync finishes the binding.
      this.controller?.enqueue({namespace: String(meta(claim).namespace), name: String(meta(claim).name)})
      return RESYNC
    }
    if (spec(claim).volumeName === meta(volume).name) {
      this.updateVolumePhase(volume, 'Bound', '')
      return 'done'
    }
    // The claim is bound to another volume.
    if (hasAnnotation(volume, ANN_DYNAMICALLY_PROVISIONED) && spec(volume).persistentVolumeReclaimPolicy === 'Delete') {
      let pv = volume
      if (status(volume).phase !== 'Released' && status(volume).phase !== 'Failed') pv = this.updateVolumePhase(volume, 'Released', '')
      this.reclaimVolume(pv)
      return RESYNC
    }
    this.unbindVolume(volume)
    return RESYNC
  }

  private updateVolumePhase(volume: Obj, phase: string, message: string): Obj {
    if (status(volume).phase === phase) return volume
    const next: Obj = {...status(volume), phase}
    if (message) next.message = message
    else delete next.message
    return this.ctx.client.updateStatus(RESOURCES.persistentvolumes, {...volume, status: next})
  }

  private updateVolumePhaseWithEvent(volume: Obj, phase: string, type: EventType, reason: string, message: string): Obj {
    if (status(volume).phase === phase) return volume
    const updated = this.updateVolumePhase(volume, phase, message)
    this.event(updated, type, reason, message)
    return updated
  }

  /** Rolls a binding back: a controller's claimRef goes, a user's pre-binding keeps its name and loses the uid. */
  private unbindVolume(volume: Obj): void {
    const next: Obj = {...volume, metadata: {...meta(volume)}, spec: {...spec(volume)}}
    if (hasAnnotation(volume, ANN_BOUND_BY_CONTROLLER)) {
      delete (next.spec as Obj).claimRef
      const annotations = {...annotationsOf(volume)}
      delete annotations[ANN_BOUND_BY_CONTROLLER]
      if (Object.keys(annotations).length) (next.metadata as Obj).annotations = annotations
      else delete (next.metadata as Obj).annotations
    } else {
      const ref = {...(spec(volume).claimRef as Obj)}
      delete ref.uid
      ;(next.spec as Obj).claimRef = ref
    }
    const updated = this.ctx.client.update(RESOURCES.persistentvolumes, next)
    this.updateVolumePhase(updated, 'Available', '')
  }

  private reclaimVolume(volume: Obj): void {
    if (annotationsOf(volume)[ANN_MIGRATED_TO]) return
    switch (spec(volume).persistentVolumeReclaimPolicy) {
      case 'Retain':
        return
      case 'Recycle':
        this.recycleVolume(volume)
        return
      case 'Delete':
        this.deleteVolume(volume)
        return
      default:
        this.updateVolumePhaseWithEvent(volume, 'Failed', 'Warning', 'VolumeUnknownReclaimPolicy', 'Volume has unrecognized PersistentVolumeReclaimPolicy')
    }
  }

  /** isVolumeReleased: its claim is gone, or bound to another volume. */
  private isVolumeReleased(volume: Obj): boolean {
    const ref = spec(volume).claimRef as Obj | undefined
    if (!ref || !ref.uid) return false
    const claim = this.ctx.informer(RESOURCES.persistentvolumeclaims).get(String(ref.namespace ?? ''), String(ref.name))
    if (claim && meta(claim).uid === ref.uid) {
      const bound = String(spec(claim).volumeName ?? '')
      return bound !== '' && bound !== meta(volume).name
    }
    return true
  }

  private deleteVolume(volume: Obj): void {
    if (!this.isVolumeReleased(volume)) return
    const provisionedBy = annotationsOf(volume)[ANN_DYNAMICALLY_PROVISIONED]
    // An external provisioner deletes what it provisioned; CSI volumes belong to their drivers.
    if (provisionedBy && !provisionedBy.startsWith('kubernetes.io/')) return
    if (spec(volume).csi) return
    const error = this.inTreeDelete(volume, provisionedBy)
    if (error) {
      this.updateVolumePhaseWithEvent(volume, 'Failed', 'Warning', 'VolumeFailedDelete', error)
      return
    }
    this.ctx.client.delete(RESOURCES.persistentvolumes, undefined, String(meta(volume).name))
  }

  /** The in-tree deleters: only hostPath has one, and it removes paths under /tmp only. */
  private inTreeDelete(volume: Obj, provisionedBy: string | undefined): string {
    const name = String(meta(volume).name)
    const hostPath = spec(volume).hostPath as Obj | undefined
    if (provisionedBy && provisionedBy !== 'kubernetes.io/host-path') return `no deletable volume plugin matched name: ${provisionedBy}`
    if (!hostPath) return `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`
    const path = String(hostPath.path ?? '')
    if (!/\/tmp\/.+/.test(path)) return `host_path deleter only supports /tmp/.+ but received provided ${path}`
    return ''
  }

  /** The deprecated Recycle policy: hostPath and NFS volumes are scrubbed and offered again. */
  private recycleVolume(volume: Obj): void {
    if (!this.isVolumeReleased(volume)) return
    if (!spec(volume).hostPath && !spec(volume).nfs) {
      this.updateVolumePhaseWithEvent(volume, 'Failed', 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!')
      return
    }
    this.event(volume, 'Normal', 'VolumeRecycled', 'Volume recycled')
    this.unbindVolume(volume)
  }

  // ---- wiring ----------------------------------------------------------------------------------

  wire(c: Controller, ctx: ControllerContext): void {
    this.controller = c
    const claimKeyOf = (o: Obj): ObjectKey => ({namespace: String(meta(o).namespace), name: String(meta(o).name)})
    const volumeKeyOf = (name: unknown): ObjectKey => ({name: String(name)})
    const volumes = ctx.informer(RESOURCES.persistentvolumes)
    const claims = ctx.informer(RESOURCES.persistentvolumeclaims)
    ctx.informer(RESOURCES.pods) // for WaitForPodScheduled
    claims.addHandlers({
      onAdd: (o) => c.enqueue(claimKeyOf(o)),
      onUpdate: (_old, o) => c.enqueue(claimKeyOf(o)),
      onDelete: (o) => {
        if (spec(o).volumeName) c.enqueue(volumeKeyOf(spec(o).volumeName))
        for (const pv of volumes.list()) {
          const ref = spec(pv).claimRef as Obj | undefined
          if (ref && ref.uid === meta(o).uid) c.enqueue(volumeKeyOf(meta(pv).name))
        }
      },
    })
    volumes.addHandlers({
      onAdd: (o) => c.enqueue(volumeKeyOf(meta(o).name)),
      onUpdate: (_old, o) => c.enqueue(volumeKeyOf(meta(o).name)),
      onDelete: (o) => {
        const ref = spec(o).claimRef as Obj | undefined
        if (ref?.namespace && ref.name) c.enqueue({namespace: String(ref.namespace), name: String(ref.name)})
      },
    })
    // A new or changed class may let waiting claims provision (or get a default class) now
    // rather than at the next resync.
    const unboundClaims = () => {
      for (const pvc of claims.list()) if (!hasAnnotation(pvc, ANN_BIND_COMPLETED)) c.enqueue(claimKeyOf(pvc))
    }
    ctx.informer(RESOURCES.storageclasses).addHandlers({onAdd: unboundClaims, onUpdate: unboundClaims})
  }
}

function isTerminated(pod: Obj): boolean {
  const phase = status(pod).phase
  return phase === 'Succeeded' || phase === 'Failed'
}

export function addPersistentVolumeBinder(m: ControllerManager): PersistentVolumeBinder {
  const b = new PersistentVolumeBinder(m)
  m.add(b, (c, ctx) => b.wire(c, ctx))
  return b
}
