// NodePorts: a pod's host ports must be free on the node (0.0.0.0 clashes with every address).
import type {FilterPlugin, PreFilterPlugin} from '../framework.js'
import {Status} from '../status.js'
import {PluginNames} from './names.js'

const NAME = PluginNames.NodePorts
export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports"

export function newNodePorts() {
  const rejected = new Status('Unschedulable', [ERR_REASON_PORTS], NAME)
  const skip = {status: Status.skip()}
  return {
    name: NAME,
    preFilter(_state, pod) {
      // A pod without host ports cannot conflict: its Filter is skipped.
      return pod.hostPorts.length === 0 ? skip : null
    },
    filter(_state, pod, nodeInfo) {
      if (nodeInfo.usedPorts.size === 0) return null
      for (const p of pod.hostPorts) if (nodeInfo.usedPorts.conflicts(p)) return rejected
      return null
    },
  } satisfies PreFilterPlugin & FilterPlugin
}
