// A plain nginx pod stepped through the kubelet's stages on a virtual clock: the statuses written at
// each stage, compared field by field with what a real kubelet writes, and the events in order.
import {strict as assert} from 'node:assert'
import {condition, containerStatus, drive, exact, makePod, waitingReason} from './helpers.js'

describe('kubelet: pod lifecycle', () => {
  const run = drive(makePod(), 60_000, {profile: exact, kubernetesVersion: '1.33'})

  it('writes the first status at once: Pending, ContainerCreating, sandbox not ready, no pod IP yet', () => {
    const s = run.statusAt(0)
    assert.deepEqual(s, {
      phase: 'Pending',
      conditions: [
        {type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z'},
        {type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z'},
        {type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ContainersNotReady', message: 'containers with unready status: [web]'},
        {type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ContainersNotReady', message: 'containers with unready status: [web]'},
        {type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z'},
      ],
      hostIP: '172.18.0.3',
      hostIPs: [{ip: '172.18.0.3'}],
      startTime: '2026-01-01T00:00:00Z',
      containerStatuses: [
        {name: 'web', state: {waiting: {reason: 'ContainerCreating'}}, lastState: {}, ready: false, restartCount: 0, image: 'nginx:1.27', imageID: '', started: false},
      ],
      qosClass: 'BestEffort',
    })
  })

  it('gets its IP and PodReadyToStartContainers once the sandbox is up (1s)', () => {
    const step = run.steps.find((s) => s.status && s.status.podIP)!
    assert.equal(step.at, 1000)
    assert.equal(step.status!.podIP, '10.244.1.10')
    assert.deepEqual(step.status!.podIPs, [{ip: '10.244.1.10'}])
    assert.equal(condition(step.status!, 'PodReadyToStartContainers')!.status, 'True')
    assert.equal(waitingReason(step.status!, 'web'), 'ContainerCreating')
  })

  it('records Pulling, Pulled, Created, Started at the profile durations', () => {
    assert.deepEqual(
      run.events.map((e) => [e.at.getTime() - Date.UTC(2026, 0, 1), e.type, e.reason, e.message, e.fieldPath]),
      [
        [1000, 'Normal', 'Pulling', 'Pulling image "nginx:1.27"', 'spec.containers{web}'],
        [3520, 'Normal', 'Pulled', 'Successfully pulled image "nginx:1.27" in 2.5s (2.52s including waiting). Image size: 72195292 bytes.', 'spec.containers{web}'],
        [3620, 'Normal', 'Created', 'Created container: web', 'spec.containers{web}'],
        [3720, 'Normal', 'Started', 'Started container web', 'spec.containers{web}'],
      ],
    )
  })

  it('is Running and Ready once the container starts, with the runtime ids a real kubelet reports', () => {
    const s = run.statusAt(3720)
    assert.equal(s.phase, 'Running')
    const cs = containerStatus(s, 'web')
    assert.deepEqual(cs.state, {running: {startedAt: '2026-01-01T00:00:03Z'}})
    assert.equal(cs.ready, true)
    assert.equal(cs.started, true)
    assert.equal(cs.image, 'docker.io/library/nginx:1.27')
    assert.match(cs.imageID as string, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/)
    assert.match(cs.containerID as string, /^containerd:\/\/[0-9a-f]{64}$/)
    assert.deepEqual(cs.resources, {})
    assert.deepEqual(cs.user, {linux: {uid: 0, gid: 0, supplementalGroups: [0]}})
    for (const type of ['Ready', 'ContainersReady']) {
      const c = condition(s, type)!
      assert.equal(c.status, 'True')
      assert.equal(c.lastTransitionTime, '2026-01-01T00:00:03Z')
      assert.equal(c.reason, undefined)
    }
  })

  it('only writes the status when it changes', () => {
    const written = run.steps.filter((s) => s.status).map((s) => s.at)
    assert.deepEqual(written, [0, 1000, 3720])
  })

  it('keeps the scheduler\'s PodScheduled transition time and the conditions in kubelet order', () => {
    const s = run.pod.status as Record<string, unknown>
    const types = (s.conditions as Array<Record<string, unknown>>).map((c) => c.type)
    assert.deepEqual(types, ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'])
    assert.equal(condition(s, 'PodScheduled')!.lastTransitionTime, '2026-01-01T00:00:00Z')
  })

  it('keeps conditions it does not own (readiness gates) ahead of its own', () => {
    const pod = makePod({spec: {readinessGates: [{conditionType: 'example.com/lb'}]}})
    ;(pod.status as Record<string, unknown>).conditions = [
      {type: 'example.com/lb', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z'},
      ...((pod.status as Record<string, unknown>).conditions as unknown[]),
    ]
    const s = drive(pod, 10_000, {profile: exact}).pod.status as Record<string, unknown>
    assert.equal((s.conditions as Array<Record<string, unknown>>)[0].type, 'example.com/lb')
    const ready = condition(s, 'Ready')!
    assert.equal(ready.status, 'False')
    assert.equal(ready.reason, 'ReadinessGatesNotReady')
    assert.equal(ready.message, 'the status of pod readiness gate "example.com/lb" is not "True", but False')
    assert.equal(condition(s, 'ContainersReady')!.status, 'True')
  })

  it('names a missing readiness gate condition', () => {
    const s = drive(makePod({spec: {readinessGates: [{conditionType: 'example.com/x'}]}}), 10_000, {profile: exact}).pod.status as Record<string, unknown>
    assert.equal(condition(s, 'Ready')!.message, 'corresponding condition of pod readiness gate "example.com/x" does not exist.')
  })

  it('asks to be woken for the next stage and then for periodic log lines only', () => {
    const wakes = run.steps.map((s) => s.at)
    assert.deepEqual(wakes.slice(0, 5), [0, 1000, 3520, 3620, 3720])
    // nginx writes an access log line every 15s.
    assert.deepEqual(wakes.slice(5, 8), [18720, 33720, 48720])
  })

  it('starts the containers of one pod one after another, each after the previous one started', () => {
    const r = drive(makePod({containers: [{name: 'a', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent'}, {name: 'b', image: 'redis:7.4', imagePullPolicy: 'IfNotPresent'}]}), 20_000, {profile: exact})
    const started = r.events.filter((e) => e.reason === 'Started').map((e) => [e.fieldPath, e.at.getTime() - Date.UTC(2026, 0, 1)])
    assert.deepEqual(started, [['spec.containers{a}', 3720], ['spec.containers{b}', 6440]])
    const pulling = r.events.find((e) => e.reason === 'Pulling' && e.fieldPath === 'spec.containers{b}')!
    assert.equal(pulling.at.getTime() - Date.UTC(2026, 0, 1), 3720)
    assert.equal(condition(r.pod.status as Record<string, unknown>, 'Ready')!.status, 'True')
  })

  it('reports a hostNetwork pod with the node IP as pod IP from the start', () => {
    const s = drive(makePod({spec: {hostNetwork: true}}), 100, {profile: exact}).pod.status as Record<string, unknown>
    assert.equal(s.podIP, '172.18.0.3')
    assert.deepEqual(s.podIPs, [{ip: '172.18.0.3'}])
  })
})
