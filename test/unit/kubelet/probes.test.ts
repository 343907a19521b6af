// Readiness and startup probes: when containers turn started and ready, and the Unhealthy events of
// a container whose readiness probe keeps failing.
import {strict as assert} from 'node:assert'
import {condition, containerStatus, drive, exact, makePod, T0} from './helpers.js'
import type {Obj} from '../../../src/kubelet/obj.js'

const probed = (probe: Obj, extra: Obj = {}, annotations?: Record<string, string>) =>
  makePod({annotations, containers: [{name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{name: 'http', containerPort: 80}], ...probe, ...extra}]})

// The container starts at 3.72s in the exact profile.
const STARTED = 3720

describe('kubelet: probes', () => {
  it('turns ready at the first probe after initialDelaySeconds (period 10s: 5s delay → 10s)', () => {
    const r = drive(probed({readinessProbe: {httpGet: {path: '/', port: 80}, initialDelaySeconds: 5, periodSeconds: 10}}), 30_000, {profile: exact})
    const notReady = r.statusAt(STARTED + 9_999)
    assert.equal(containerStatus(notReady, 'web').ready, false)
    assert.equal(condition(notReady, 'Ready')!.message, 'containers with unready status: [web]')
    assert.equal(notReady.phase, 'Running')
    const ready = r.statusAt(STARTED + 10_000)
    assert.equal(containerStatus(ready, 'web').ready, true)
    assert.equal(condition(ready, 'Ready')!.lastTransitionTime, '2026-01-01T00:00:13Z')
  })

  it('needs successThreshold successes in a row', () => {
    const r = drive(probed({readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 5, successThreshold: 3}}), 30_000, {profile: exact})
    assert.equal(containerStatus(r.statusAt(STARTED + 9_999), 'web').ready, false)
    assert.equal(containerStatus(r.statusAt(STARTED + 10_000), 'web').ready, true)
  })

  it('is ready at once without a readiness probe', () => {
    const r = drive(probed({}), 10_000, {profile: exact})
    assert.equal(containerStatus(r.statusAt(STARTED), 'web').ready, true)
  })

  it('keeps started false until the startup probe succeeds, and readiness waits for it', () => {
    const r = drive(probed({startupProbe: {httpGet: {path: '/healthz', port: 80}, initialDelaySeconds: 10, periodSeconds: 5}, readinessProbe: {httpGet: {path: '/', port: 80}, periodSeconds: 3}}), 40_000, {profile: exact})
    const early = containerStatus(r.statusAt(STARTED + 9_999), 'web')
    assert.deepEqual([early.started, early.ready], [false, false])
    const started = containerStatus(r.statusAt(STARTED + 10_000), 'web')
    assert.deepEqual([started.started, started.ready], [true, false])
    // The next readiness tick after 10s on a 3s period is at 12s.
    const ready = containerStatus(r.statusAt(STARTED + 12_000), 'web')
    assert.deepEqual([ready.started, ready.ready], [true, true])
  })

  it('never becomes ready with kube2.dev/simulate: unready, with an Unhealthy warning per probe', () => {
    const r = drive(probed({readinessProbe: {httpGet: {path: '/', port: 80}, initialDelaySeconds: 5, periodSeconds: 10}}, {}, {'kube2.dev/simulate': 'unready'}), 60_000, {profile: exact})
    assert.equal(containerStatus(r.pod.status as Obj, 'web').ready, false)
    const unhealthy = r.events.filter((e) => e.reason === 'Unhealthy')
    assert.deepEqual(unhealthy.map((e) => e.at.getTime() - T0), [13_720, 23_720, 33_720, 43_720, 53_720])
    assert.ok(unhealthy.every((e) => e.type === 'Warning' && e.message === 'Readiness probe failed: HTTP probe failed with statuscode: 503' && e.fieldPath === 'spec.containers{web}'))
  })

  it('words a failing TCP probe with the pod IP and the named port resolved', () => {
    const r = drive(probed({readinessProbe: {tcpSocket: {port: 'http'}, periodSeconds: 10}}, {}, {'kube2.dev/simulate': 'unready'}), 20_000, {profile: exact})
    const e = r.events.find((x) => x.reason === 'Unhealthy')!
    assert.equal(e.message, 'Readiness probe failed: dial tcp 10.244.1.10:80: connect: connection refused')
  })

  it('logs HTTP probe requests as kube-probe hits from the node', () => {
    const r = drive(probed({readinessProbe: {httpGet: {path: '/ready', port: 80}, periodSeconds: 10}}), 40_000, {profile: exact, kubernetesVersion: '1.31'})
    const access = r.logs.filter((l) => l.line.includes('GET /ready'))
    assert.ok(access.length >= 2)
    assert.equal(access[0].line, '172.18.0.3 - - [01/Jan/2026:00:00:18 +0000] "GET /ready HTTP/1.1" 200 615 "-" "kube-probe/1.31" "-"')
  })
})
