// The texts kube-scheduler writes for a pod: Scheduled / FailedScheduling / Preempted events and the
// PodScheduled condition, for the caller that records them.
import type {Pod, PodCondition} from './api.js'

/** validation.NoteLengthLimit: longer event messages are cut with " ...". */
export const NOTE_LENGTH_LIMIT = 1024

export interface SchedulerEvent {
  type: 'Normal' | 'Warning'
  reason: 'Scheduled' | 'FailedScheduling' | 'Preempted'
  action: 'Binding' | 'Scheduling' | 'Preempting'
  message: string
}

function nsName(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`
}

/** truncateMessage. */
export function truncateMessage(message: string): string {
  if (message.length <= NOTE_LENGTH_LIMIT) return message
  const suffix = ' ...'
  return message.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix
}

export function scheduledEvent(pod: Pod, node: string): SchedulerEvent {
  return {type: 'Normal', reason: 'Scheduled', action: 'Binding', message: `Successfully assigned ${nsName(pod)} to ${node}`}
}

export function failedSchedulingEvent(message: string): SchedulerEvent {
  return {type: 'Warning', reason: 'FailedScheduling', action: 'Scheduling', message: truncateMessage(message)}
}

/** The event on each victim, naming the preemptor by UID. */
export function preemptedEvent(preemptor: Pod, node: string): SchedulerEvent {
  return {type: 'Normal', reason: 'Preempted', action: 'Preempting', message: `Preempted by pod ${preemptor.metadata.uid ?? ''} on node ${node}`}
}

/** The PodScheduled=False condition a failed attempt sets (reason SchedulerError for errors). */
export function unschedulableCondition(message: string, error = false): PodCondition {
  return {type: 'PodScheduled', status: 'False', reason: error ? 'SchedulerError' : 'Unschedulable', message}
}

/** The DisruptionTarget condition set on a victim before it is deleted. */
export function preemptionCondition(schedulerName = 'default-scheduler'): PodCondition {
  return {type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod`}
}
