// Table printers for storage.k8s.io (StorageClass, VolumeAttributesClass, VolumeAttachment, CSINode,
// CSIDriver, CSIStorageCapacity), after pkg/printers/internalversion/printers.go.
import {age, ageColumn, arr, column, meta, nameColumn, nameOf, obj, objs, quantityString, spec, status, str} from './helpers.js'
import type {KindPrinter, Obj} from './types.js'

function annotationIs(o: Obj, key: string, value: string): boolean {
  return obj(meta(o)['annotations'])[key] === value
}

/** storageutil.IsDefaultAnnotation: the GA or the beta is-default-class annotation set to "true". */
function isDefaultStorageClass(o: Obj): boolean {
  return (
    annotationIs(o, 'storageclass.kubernetes.io/is-default-class', 'true') ||
    annotationIs(o, 'storageclass.beta.kubernetes.io/is-default-class', 'true')
  )
}

const storageClassPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Provisioner', 'string'),
    column('ReclaimPolicy', 'string'),
    column('VolumeBindingMode', 'string'),
    column('AllowVolumeExpansion', 'string'),
    ageColumn(),
  ],
  row(o, ctx) {
    const name = nameOf(o) + (isDefaultStorageClass(o) ? ' (default)' : '')
    const reclaimPolicy = typeof o['reclaimPolicy'] === 'string' ? o['reclaimPolicy'] : 'Delete'
    const bindingMode = typeof o['volumeBindingMode'] === 'string' ? o['volumeBindingMode'] : 'Immediate'
    return {cells: [name, str(o['provisioner']), reclaimPolicy, bindingMode, o['allowVolumeExpansion'] === true, age(o, ctx.now)]}
  },
}

const volumeAttributesClassPrinter: KindPrinter = {
  columns: [nameColumn(), column('DriverName', 'string'), ageColumn()],
  row(o, ctx) {
    const isDefault = annotationIs(o, 'volumeattributesclass.alpha.kubernetes.io/is-default-class', 'true')
    return {cells: [nameOf(o) + (isDefault ? ' (default)' : ''), str(o['driverName']), age(o, ctx.now)]}
  },
}

const volumeAttachmentPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Attacher', 'string', '', {format: 'name'}),
    column('PV', 'string'),
    column('Node', 'string'),
    column('Attached', 'boolean'),
    ageColumn(),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const pv = obj(sp['source'])['persistentVolumeName']
    return {cells: [nameOf(o), str(sp['attacher']), str(pv), str(sp['nodeName']), status(o)['attached'] === true, age(o, ctx.now)]}
  },
}

const csiNodePrinter: KindPrinter = {
  columns: [nameColumn(), column('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), arr(spec(o)['drivers']).length, age(o, ctx.now)]}),
}

function optionalBool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback
}

const csiDriverPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('AttachRequired', 'boolean'),
    column('PodInfoOnMount', 'boolean'),
    column('StorageCapacity', 'boolean'),
    column('TokenRequests', 'string'),
    column('RequiresRepublish', 'boolean'),
    column('Modes', 'string'),
    ageColumn(),
  ],
  row(o, ctx) {
    const sp = spec(o)
    let modes = arr(sp['volumeLifecycleModes']).map(str)
    // Defaulting fills in Persistent, so stored drivers never show <none> for an omitted list.
    if (sp['volumeLifecycleModes'] === undefined || sp['volumeLifecycleModes'] === null) modes = ['Persistent']
    const tokenRequests =
      sp['tokenRequests'] === undefined || sp['tokenRequests'] === null
        ? '<unset>'
        : objs(sp['tokenRequests'])
            .map((t) => str(t['audience']))
            .join(',')
    return {
      cells: [
        nameOf(o),
        optionalBool(sp['attachRequired'], true),
        optionalBool(sp['podInfoOnMount'], false),
        optionalBool(sp['storageCapacity'], false),
        tokenRequests,
        optionalBool(sp['requiresRepublish'], false),
        modes.join(',') || '<none>',
        age(o, ctx.now),
      ],
    }
  },
}

const csiStorageCapacityPrinter: KindPrinter = {
  columns: [nameColumn(), column('StorageClassName', 'string'), column('Capacity', 'string')],
  row(o) {
    const capacity = o['capacity'] === undefined || o['capacity'] === null ? '<unset>' : quantityString(o['capacity'])
    return {cells: [nameOf(o), str(o['storageClassName']), capacity]}
  },
}

export const STORAGE_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  StorageClass: storageClassPrinter,
  VolumeAttributesClass: volumeAttributesClassPrinter,
  VolumeAttachment: volumeAttachmentPrinter,
  CSINode: csiNodePrinter,
  CSIDriver: csiDriverPrinter,
  CSIStorageCapacity: csiStorageCapacityPrinter,
}
