// Table printers for autoscaling (HorizontalPodAutoscaler with its TARGETS summary, Scale) and policy
// (PodDisruptionBudget), after pkg/printers/internalversion/printers.go.
import {age, ageColumn, column, int, intOrString, nameColumn, nameOf, obj, objs, quantityPointerString, spec, status, str} from './helpers.js'
import type {KindPrinter, Obj} from './types.js'

/** autoscaling.DefaultCPUUtilization: what v2 defaulting targets when an HPA names no metric. */
const DEFAULT_CPU_UTILIZATION = 80

interface HPAMetrics {
  specs: Obj[]
  statuses: Obj[]
}

/**
 * The internal (v2-shaped) metrics of a stored HPA. autoscaling/v1 objects convert their CPU
 * percentage fields into a Resource metric; an HPA with no metric gets v2's default CPU target.
 */
function hpaMetrics(hpa: Obj): HPAMetrics {
  const sp = spec(hpa)
  const st = status(hpa)
  let specs: Obj[]
  let statuses: Obj[]
  if (str(hpa['apiVersion']) === 'autoscaling/v1') {
    specs = []
    statuses = []
    if (typeof sp['targetCPUUtilizationPercentage'] === 'number') {
      specs.push(resourceMetric({type: 'Utilization', averageUtilization: sp['targetCPUUtilizationPercentage']}))
    }
    if (typeof st['currentCPUUtilizationPercentage'] === 'number') {
      statuses.push({type: 'Resource', resource: {name: 'cpu', current: {averageUtilization: st['currentCPUUtilizationPercentage']}}})
    }
  } else {
    specs = objs(sp['metrics'])
    statuses = objs(st['currentMetrics'])
  }
  if (specs.length === 0) specs = [resourceMetric({type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION})]
  return {specs, statuses}
}

function resourceMetric(target: Obj): Obj {
  return {type: 'Resource', resource: {name: 'cpu', target}}
}

function present(o: Obj, key: string): boolean {
  return o[key] !== undefined && o[key] !== null
}

/** A value/average-value metric (Object, External): `current/target`, with ` (avg)` for averages. */
function valueMetric(sourceKey: string, target: Obj, statusEntry: Obj | undefined): string {
  const source = statusEntry && present(statusEntry, sourceKey) ? obj(statusEntry[sourceKey]) : undefined
  const current = obj(source?.['current'])
  if (present(target, 'averageValue')) {
    const now = source && present(current, 'averageValue') ? quantityPointerString(current['averageValue']) : '<unknown>'
    return `${now}/${quantityPointerString(target['averageValue'])} (avg)`
  }
  const now = source ? quantityPointerString(current['value']) : '<unknown>'
  return `${now}/${quantityPointerString(target['value'])}`
}

/** A Resource or ContainerResource metric: `name: current/target` by value or utilization. */
function resourceMetricText(sourceKey: string, source: Obj, statusEntry: Obj | undefined): string {
  const target = obj(source['target'])
  const name = str(source['name'])
  const st = statusEntry && present(statusEntry, sourceKey) ? obj(statusEntry[sourceKey]) : undefined
  const current = obj(st?.['current'])
  if (present(target, 'averageValue')) {
    const now = st ? quantityPointerString(current['averageValue']) : '<unknown>'
    return `${name}: ${now}/${quantityPointerString(target['averageValue'])}`
  }
  const now = st && present(current, 'averageUtilization') ? `${int(current['averageUtilization'])}%` : '<unknown>'
  const goal = present(target, 'averageUtilization') ? `${int(target['averageUtilization'])}%` : '<auto>'
  return `${name}: ${now}/${goal}`
}

/** formatHPAMetrics: up to two metrics as `current/target`, matched to status by position. */
export function formatHPAMetrics(specs: Obj[], statuses: Obj[]): string {
  if (specs.length === 0) return '<none>'
  let list: string[] = []
  const max = 2
  specs.forEach((metric, i) => {
    const statusEntry = statuses[i]
    switch (metric['type']) {
      case 'External':
        list.push(valueMetric('external', obj(obj(metric['external'])['target']), statusEntry))
        break
      case 'Object':
        list.push(valueMetric('object', obj(obj(metric['object'])['target']), statusEntry))
        break
      case 'Pods': {
        const current = statusEntry && present(statusEntry, 'pods') ? quantityPointerString(obj(obj(statusEntry['pods'])['current'])['averageValue']) : '<unknown>'
        list.push(`${current}/${quantityPointerString(obj(obj(metric['pods'])['target'])['averageValue'])}`)
        break
      }
      case 'Resource':
        list.push(resourceMetricText('resource', obj(metric['resource']), statusEntry))
        break
      case 'ContainerResource':
        list.push(resourceMetricText('containerResource', obj(metric['containerResource']), statusEntry))
        break
      default:
        list.push('<unknown type>')
    }
  })
  const count = list.length
  const more = count > max
  if (more) list = list.slice(0, max)
  const joined = list.join(', ')
  return more ? `${joined} + ${count - max} more...` : joined
}

const horizontalPodAutoscalerPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Reference', 'string'),
    column('Targets', 'string'),
    column('MinPods', 'string'),
    column('MaxPods', 'string'),
    column('Replicas', 'string'),
    ageColumn(),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const ref = obj(sp['scaleTargetRef'])
    const {specs, statuses} = hpaMetrics(o)
    // minReplicas defaults to 1 in every served version.
    const minPods = sp['minReplicas'] === undefined || sp['minReplicas'] === null ? '1' : String(int(sp['minReplicas']))
    return {
      cells: [
        nameOf(o),
        `${str(ref['kind'])}/${str(ref['name'])}`,
        formatHPAMetrics(specs, statuses),
        minPods,
        int(sp['maxReplicas']),
        int(status(o)['currentReplicas']),
        age(o, ctx.now),
      ],
    }
  },
}

const scalePrinter: KindPrinter = {
  columns: [column('Name', 'string'), column('Desired', 'integer'), column('Available', 'integer'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), int(spec(o)['replicas']), int(status(o)['replicas']), age(o, ctx.now)]}),
}

const podDisruptionBudgetPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn(),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const minAvailable = present(sp, 'minAvailable') ? intOrString(sp['minAvailable']) : 'N/A'
    const maxUnavailable = present(sp, 'maxUnavailable') ? intOrString(sp['maxUnavailable']) : 'N/A'
    return {cells: [nameOf(o), minAvailable, maxUnavailable, int(status(o)['disruptionsAllowed']), age(o, ctx.now)]}
  },
}

export const AUTOSCALING_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  HorizontalPodAutoscaler: horizontalPodAutoscalerPrinter,
  Scale: scalePrinter,
}

export const POLICY_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  PodDisruptionBudget: podDisruptionBudgetPrinter,
}
