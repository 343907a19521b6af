// NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import type {FilterPlugin} from '../framework.js'
import {Status} from '../status.js'
import {tolerationsTolerateTaint} from '../taints.js'
import {PluginNames} from './names.js'

const NAME = PluginNames.NodeUnschedulable
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable'
const UNSCHEDULABLE_TAINT = {key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule'}

export function newNodeUnschedulable() {
  const rejected = new Status('UnschedulableAndUnresolvable', [ERR_REASON_UNSCHEDULABLE], NAME)
  return {
    name: NAME,
    filter(_state, pod, nodeInfo) {
      if (!nodeInfo.unschedulable) return null
      return tolerationsTolerateTaint(pod.tolerations, UNSCHEDULABLE_TAINT) ? null : rejected
    },
  } satisfies FilterPlugin
}
