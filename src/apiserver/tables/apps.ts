// Table printers for the apps group (Deployment, ReplicaSet, StatefulSet, DaemonSet,
// ControllerRevision), after pkg/printers/internalversion/printers.go.
import {
  age,
  ageColumn,
  column,
  controllerRef,
  formatLabelSelector,
  formatLabels,
  int,
  labelSelectorString,
  layoutContainerCells,
  nameColumn,
  nameOf,
  obj,
  spec,
  status,
  str,
  templateContainers,
  templateWideColumns,
} from './helpers.js'
import {TableConversionError, type KindPrinter, type Obj} from './types.js'

/** spec.replicas of a stored (defaulted) workload: 1 when it was left out. */
function desiredReplicas(o: Obj): number {
  const r = spec(o)['replicas']
  return r === undefined || r === null ? 1 : int(r)
}

const READY_DESCRIPTION = 'Number of the pod with ready state'

const deploymentPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', READY_DESCRIPTION),
    column('Up-to-date', 'string'),
    column('Available', 'string'),
    ageColumn(),
    ...templateWideColumns(),
  ],
  row(o, ctx) {
    const st = status(o)
    const [names, images] = layoutContainerCells(templateContainers(o))
    return {
      cells: [
        nameOf(o),
        `${int(st['readyReplicas'])}/${desiredReplicas(o)}`,
        int(st['updatedReplicas']),
        int(st['availableReplicas']),
        age(o, ctx.now),
        names,
        images,
        labelSelectorString(spec(o)['selector']),
      ],
    }
  },
}

const replicaSetPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer'),
    column('Current', 'integer'),
    column('Ready', 'integer'),
    ageColumn(),
    ...templateWideColumns(),
  ],
  row(o, ctx) {
    const st = status(o)
    const [names, images] = layoutContainerCells(templateContainers(o))
    return {
      cells: [
        nameOf(o),
        desiredReplicas(o),
        int(st['replicas']),
        int(st['readyReplicas']),
        age(o, ctx.now),
        names,
        images,
        formatLabelSelector(spec(o)['selector']),
      ],
    }
  },
}

const statefulSetPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', READY_DESCRIPTION),
    ageColumn(),
    ...templateWideColumns(false),
  ],
  row(o, ctx) {
    const [names, images] = layoutContainerCells(templateContainers(o))
    return {cells: [nameOf(o), `${int(status(o)['readyReplicas'])}/${desiredReplicas(o)}`, age(o, ctx.now), names, images]}
  },
}

const daemonSetPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer'),
    column('Current', 'integer'),
    column('Ready', 'integer'),
    column('Up-to-date', 'integer'),
    column('Available', 'integer'),
    column('Node Selector', 'string'),
    ageColumn(),
    ...templateWideColumns(),
  ],
  row(o, ctx) {
    const st = status(o)
    const [names, images] = layoutContainerCells(templateContainers(o))
    const nodeSelector = obj(obj(spec(o)['template'])['spec'])['nodeSelector']
    return {
      cells: [
        nameOf(o),
        int(st['desiredNumberScheduled']),
        int(st['currentNumberScheduled']),
        int(st['numberReady']),
        int(st['updatedNumberScheduled']),
        int(st['numberAvailable']),
        formatLabels(nodeSelector),
        age(o, ctx.now),
        names,
        images,
        formatLabelSelector(spec(o)['selector']),
      ],
    }
  },
}

/** schema.ParseGroupVersion's group: "" for "v1", the part before the slash otherwise. */
function groupOf(apiVersion: string): string {
  if (apiVersion === '' || apiVersion === '/') return ''
  const parts = apiVersion.split('/')
  if (parts.length === 1) return ''
  if (parts.length === 2) return parts[0]!
  throw new TableConversionError(`unexpected GroupVersion string: ${apiVersion}`)
}

/** The CONTROLLER cell: `kind.group/name` in lower case, or `<none>` without a controller. */
function controllerName(o: Obj): string {
  const ref = controllerRef(o)
  if (!ref) return '<none>'
  const group = groupOf(str(ref['apiVersion']))
  const kind = str(ref['kind'])
  const name = str(ref['name'])
  if (group === '' && kind === '') return name
  const groupKind = group === '' ? kind : `${kind}.${group}`
  return `${groupKind.toLowerCase()}/${name}`
}

const controllerRevisionPrinter: KindPrinter = {
  columns: [nameColumn(), column('Controller', 'string', 'Controller of the object'), column('Revision', 'string'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), controllerName(o), int(o['revision']), age(o, ctx.now)]}),
}

export const APPS_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
  StatefulSet: statefulSetPrinter,
  DaemonSet: daemonSetPrinter,
  ControllerRevision: controllerRevisionPrinter,
}
