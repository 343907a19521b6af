// Log lines from the image's log profile: placeholders, periodic lines, crash and stop lines, caps.
import {strict as assert} from 'node:assert'
import {containerBehaviour} from '../../../src/kubelet/behaviour.js'
import {podContext} from '../../../src/kubelet/context.js'
import {renderLine} from '../../../src/kubelet/logs.js'
import {nextPodState} from '../../../src/kubelet/engine.js'
import {drive, exact, makePod, node, profile, T0} from './helpers.js'

describe('kubelet: logs', () => {
  const ctx = podContext({pod: makePod(), profile, kubernetesVersion: '1.33'})
  const b = containerBehaviour(ctx, {name: 'web', image: 'nginx:1.27'}, 'regular')
  const lc = {ctx, podIP: '10.244.1.10', hostIP: '172.18.0.3', kernelVersion: '6.8.0'}
  const at = Date.UTC(2026, 2, 4, 5, 6, 7, 89)

  it('fills time placeholders in each format', () => {
    assert.equal(renderLine('{iso}|{nginxTime}|{nginxErrorTime}|{redisTime}|{unix}', lc, b, at, 's'), '2026-03-04T05:06:07.089Z|04/Mar/2026:05:06:07 +0000|2026/03/04 05:06:07|04 Mar 2026 05:06:07.089|1772600767')
  })

  it('fills pod, image and node placeholders', () => {
    assert.equal(renderLine('{pod}/{namespace}/{container} {image} {tag} {version:1.29.1} {podIP} {hostIP} 1.{kubeMinor} {kernelVersion} {nope}', lc, b, at, 's'), 'web/default/web nginx:1.27 1.27 1.27.0 10.244.1.10 172.18.0.3 1.33 6.8.0 {nope}')
  })

  it('picks random parts from the seed, the same every time', () => {
    const one = renderLine('{rand:1-1000} {pick:a|b|c|d} {clientIP}', lc, b, at, 'seed-1')
    assert.equal(renderLine('{rand:1-1000} {pick:a|b|c|d} {clientIP}', lc, b, at, 'seed-1'), one)
    assert.match(one, /^\d+ [abcd] 10\.244\.[0-3]\.\d+$/)
  })

  it('writes nginx\'s start lines when it starts and an access line every 15s', () => {
    const r = drive(makePod(), 40_000, {profile: exact})
    const start = r.logs.filter((l) => l.at.getTime() - T0 === 3720)
    assert.equal(start.length, 17)
    assert.equal(start[0].line, '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration')
    assert.equal(start[10].line, '2026/01/01 00:00:03 [notice] 1#1: nginx/1.27.0')
    const access = r.logs.filter((l) => l.line.includes('"GET '))
    assert.deepEqual(access.map((l) => l.at.getTime() - T0), [18_720, 33_720])
    assert.ok(r.logs.every((l) => l.container === 'web' && l.attempt === 0))
  })

  it('writes the generic profile for other images, and its crash line before an error exit', () => {
    const r = drive(makePod({containers: [{name: 'api', image: 'ghcr.io/acme/api:2.1', imagePullPolicy: 'IfNotPresent'}], annotations: {'kube2.dev/simulate': 'crashloop'}}), 8000, {profile: exact})
    const lines = r.logs.filter((l) => l.attempt === 0).map((l) => l.line.replace(/^\S+ /, ''))
    assert.equal(lines[0], 'INFO starting api (ghcr.io/acme/api:2.1)')
    assert.equal(lines[1], 'INFO listening on :8080')
    assert.match(lines[2], /^ERROR /)
  })

  it('keeps only the latest lines of a long stretch', () => {
    const r = drive(makePod({containers: [{name: 'count', image: 'busybox:1.36', args: ['sh', '-c', 'while true; do echo tick; sleep 1; done']}]}), 3000, {profile: exact})
    const late = nextPodState({pod: r.pod, node, profile: exact, now: new Date(T0 + 3_600_000), podIP: () => 'x', since: new Date(T0 + 3000), maxLogLines: 50})
    assert.equal(late.logs.length, 50)
    assert.equal(late.logs.at(-1)!.at.getTime() - T0, 3_599_220)
  })
})
