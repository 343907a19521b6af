// Simulated resource usage per container: plausible, under limits, deterministic.
import {strict as assert} from 'node:assert'
import {parseQuantity} from '../../../src/api/quantity.js'
import type {Obj} from '../../../src/kubelet/obj.js'
import {podUsage} from '../../../src/kubelet/usage.js'
import {drive, makePod, profile, T0} from './helpers.js'

const running = (containers: Obj[], annotations?: Record<string, string>) => drive(makePod({containers, annotations}), 10_000).pod
const bytes = (q: string) => Number(parseQuantity(q).value())
const cores = (q: string) => parseQuantity(q).asApproximateFloat64()

describe('kubelet: resource usage', () => {
  const pod = running([
    {name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: {requests: {cpu: '200m', memory: '256Mi'}, limits: {cpu: '300m', memory: '300Mi'}}},
    {name: 'side', image: 'redis:7.4', imagePullPolicy: 'IfNotPresent'},
  ])

  it('stays near a fraction of the requests, under the limits', () => {
    const u = podUsage(pod, profile, new Date(T0 + 60_000))
    const web = u.containers.find((c) => c.name === 'web')!
    assert.match(web.cpu, /^\d+n$/)
    assert.match(web.memory, /^\d+Ki$/)
    assert.ok(cores(web.cpu) > 0.04 && cores(web.cpu) < 0.08, web.cpu)
    assert.ok(bytes(web.memory) > 100 * 2 ** 20 && bytes(web.memory) < 150 * 2 ** 20, web.memory)
    assert.equal(bytes(u.memory), u.containers.reduce((s, c) => s + bytes(c.memory), 0))
  })

  it('uses the image\'s typical usage without requests', () => {
    const side = podUsage(pod, profile, new Date(T0 + 60_000)).containers.find((c) => c.name === 'side')!
    assert.ok(bytes(side.memory) > 3 * 2 ** 20 && bytes(side.memory) < 5 * 2 ** 20, side.memory)
  })

  it('is the same for the same pod and time window, and moves between windows', () => {
    const a = podUsage(pod, profile, new Date(T0 + 60_000))
    assert.deepEqual(podUsage(pod, profile, new Date(T0 + 61_000)), a)
    assert.notDeepEqual(podUsage(pod, profile, new Date(T0 + 600_000)), a)
  })

  it('counts only running containers', () => {
    const pending = makePod()
    assert.deepEqual(podUsage(pending, profile, new Date(T0)), {cpu: '0n', memory: '0Ki', containers: []})
  })

  it('climbs toward the memory limit for an oomkilled container', () => {
    const oom = running([{name: 'app', image: 'python:3.12', imagePullPolicy: 'IfNotPresent', resources: {limits: {memory: '100Mi'}}}], {'kube2.dev/simulate': 'oomkilled', 'kube2.dev/run-seconds': '3600'})
    const status = oom.status as Obj
    const started = Date.parse(((((status.containerStatuses as Obj[])[0].state as Obj).running as Obj).startedAt) as string)
    const early = bytes(podUsage(oom, profile, new Date(started)).memory)
    const late = bytes(podUsage(oom, profile, new Date(started + 4000)).memory)
    assert.ok(late > early && late <= 100 * 2 ** 20, `${early} -> ${late}`)
  })
})
