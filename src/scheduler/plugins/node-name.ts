// NodeName: a pod that names its node (spec.nodeName) fits only that node.
import type {FilterPlugin} from '../framework.js'
import {Status} from '../status.js'
import {PluginNames} from './names.js'

const NAME = PluginNames.NodeName
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name"

export function newNodeName() {
  const rejected = new Status('UnschedulableAndUnresolvable', [ERR_REASON_NODE_NAME], NAME)
  return {
    name: NAME,
    filter(_state, pod, nodeInfo) {
      const wanted = pod.pod.spec?.nodeName
      return !wanted || wanted === nodeInfo.name ? null : rejected
    },
  } satisfies FilterPlugin
}
