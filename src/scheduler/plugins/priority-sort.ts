// PrioritySort: the queue order — higher priority first, then the pod that was queued (created) first.
import type {QueueSortPlugin} from '../framework.js'
import type {PodInfo} from '../pod-info.js'
import {PluginNames} from './names.js'

export function prioritySortLess(a: PodInfo, b: PodInfo): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.createdAt < b.createdAt)
}

export function newPrioritySort() {
  return {name: PluginNames.PrioritySort, less: prioritySortLess} satisfies QueueSortPlugin
}
