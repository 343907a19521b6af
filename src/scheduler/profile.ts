// A scheduler profile: the default plugin set in kube-scheduler's MultiPoint order, the v1 default
// weights, and the options a KubeSchedulerProfile can change.
import type {Plugin} from './framework.js'
import {newBalancedAllocation, type BalancedAllocationArgs} from './plugins/balanced-allocation.js'
import {newDefaultPreemption, type DefaultPreemptionArgs} from './plugins/default-preemption.js'
import {newInterPodAffinity, type InterPodAffinityArgs} from './plugins/inter-pod-affinity.js'
import {PluginNames, type PluginName} from './plugins/names.js'
import {newNodeAffinity, type NodeAffinityArgs} from './plugins/node-affinity.js'
import {newNodeName} from './plugins/node-name.js'
import {newNodePorts} from './plugins/node-ports.js'
import {newNodeResourcesFit, type NodeResourcesFitArgs, type ScoringStrategyType} from './plugins/node-resources-fit.js'
import {newNodeUnschedulable} from './plugins/node-unschedulable.js'
import {newPodTopologySpread, type PodTopologySpreadArgs} from './plugins/pod-topology-spread.js'
import {newPrioritySort} from './plugins/priority-sort.js'
import type {ResourceSpec} from './plugins/resource-allocation.js'
import {newTaintToleration} from './plugins/taint-toleration.js'
import {newVolumeBinding} from './plugins/volume-binding.js'

/** apis/config/v1 default_plugins.go weights. */
export const DEFAULT_PLUGIN_WEIGHTS: Readonly<Record<string, number>> = {
  [PluginNames.TaintToleration]: 3,
  [PluginNames.NodeAffinity]: 2,
  [PluginNames.NodeResourcesFit]: 1,
  [PluginNames.PodTopologySpread]: 2,
  [PluginNames.InterPodAffinity]: 2,
  [PluginNames.NodeResourcesBalancedAllocation]: 1,
}

export interface ProfileOptions {
  /** The profile's schedulerName (default-scheduler). */
  schedulerName?: string
  /** 0 (default) is adaptive: 50% minus 1% per 125 nodes, at least 5%; at least 100 nodes are always checked. */
  percentageOfNodesToScore?: number
  /** Shorthand for nodeResourcesFit.scoringStrategy. */
  scoringStrategy?: ScoringStrategyType | {type?: ScoringStrategyType; resources?: ResourceSpec[]}
  /** Score weights by plugin name; 0 leaves the plugin out of scoring. */
  pluginWeights?: Partial<Record<PluginName, number>>
  /** Plugins to disable entirely (every extension point). */
  disabledPlugins?: readonly PluginName[]
  /** Out-of-tree plugins, run after the default ones at each extension point. */
  extraPlugins?: readonly Plugin[]
  nodeResourcesFit?: NodeResourcesFitArgs
  balancedAllocation?: BalancedAllocationArgs
  nodeAffinity?: NodeAffinityArgs
  podTopologySpread?: PodTopologySpreadArgs
  interPodAffinity?: InterPodAffinityArgs
  defaultPreemption?: DefaultPreemptionArgs
}

export function defaultPlugins(o: ProfileOptions = {}): Plugin[] {
  const strategy = typeof o.scoringStrategy === 'string' ? {type: o.scoringStrategy} : o.scoringStrategy
  const all: Plugin[] = [
    newPrioritySort(),
    newNodeUnschedulable(),
    newNodeName(),
    newTaintToleration(),
    newNodeAffinity(o.nodeAffinity),
    newNodePorts(),
    newNodeResourcesFit({...o.nodeResourcesFit, scoringStrategy: strategy ?? o.nodeResourcesFit?.scoringStrategy}),
    newVolumeBinding(),
    newPodTopologySpread(o.podTopologySpread),
    newInterPodAffinity(o.interPodAffinity),
    newDefaultPreemption(o.defaultPreemption),
    newBalancedAllocation(o.balancedAllocation),
  ]
  const disabled = new Set<string>(o.disabledPlugins ?? [])
  return [...all.filter((p) => !disabled.has(p.name)), ...(o.extraPlugins ?? [])]
}

export function pluginWeights(o: ProfileOptions = {}): Record<string, number> {
  return {...DEFAULT_PLUGIN_WEIGHTS, ...(o.pluginWeights as Record<string, number> | undefined)}
}
