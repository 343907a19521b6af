// The kubelet's texts per release and Go's duration format used in them.
import {strict as assert} from 'node:assert'
import * as msg from '../../../src/kubelet/messages.js'
import {release} from '../../../src/kubelet/release.js'
import {goDuration, rfc3339} from '../../../src/kubelet/time.js'

describe('kubelet: texts', () => {
  it('formats durations like time.Duration.String()', () => {
    const cases: Array<[number, string]> = [[0, '0s'], [845, '845ms'], [1000, '1s'], [1200, '1.2s'], [2520, '2.52s'], [10_000, '10s'], [80_000, '1m20s'], [160_000, '2m40s'], [300_000, '5m0s'], [3_600_000, '1h0m0s'], [3_723_004, '1h2m3.004s']]
    for (const [ms, text] of cases) assert.equal(goDuration(ms), text, `${ms}ms`)
  })

  it('writes metav1.Time at whole seconds', () => {
    assert.equal(rfc3339(Date.UTC(2026, 0, 1, 0, 0, 3, 999)), '2026-01-01T00:00:03Z')
  })

  it('words Created and Started per release (colon in 1.33, no name from 1.35)', () => {
    assert.equal(msg.createdMessage(release('1.32'), 'web'), 'Created container web')
    assert.equal(msg.createdMessage(release('1.33'), 'web'), 'Created container: web')
    assert.equal(msg.createdMessage(release('v1.34.2'), 'web'), 'Created container: web')
    assert.equal(msg.createdMessage(release('1.35'), 'web'), 'Container created')
    assert.equal(msg.startedMessage(release('1.34'), 'web'), 'Started container web')
    assert.equal(msg.startedMessage(release('1.36'), 'web'), 'Container started')
  })

  it('words the image events', () => {
    const r = release('1.31')
    assert.equal(msg.pullingMessage('nginx'), 'Pulling image "nginx"')
    assert.equal(msg.pulledMessage(r, 'nginx', 1234, 1250, 72195292), 'Successfully pulled image "nginx" in 1.234s (1.25s including waiting). Image size: 72195292 bytes.')
    assert.equal(msg.pulledMessage(release('1.28'), 'nginx', 1234, 1250, 1), 'Successfully pulled image "nginx" in 1.234s (1.25s including waiting)')
    assert.equal(msg.alreadyPresentMessage(r, 'nginx'), 'Container image "nginx" already present on machine')
    assert.equal(msg.pullBackOffEventMessage('nginx'), 'Back-off pulling image "nginx"')
    assert.equal(msg.neverPullMessage('a"b'), 'Container image "a\\"b" is not present with pull policy of Never')
  })

  it('words the crash loop', () => {
    const pod = msg.podDesc('web-7d4b9', 'shop', 'a1b2')
    assert.equal(pod, 'web-7d4b9_shop(a1b2)')
    assert.equal(msg.crashBackOffEventMessage('app', pod), 'Back-off restarting failed container app in pod web-7d4b9_shop(a1b2)')
    assert.equal(msg.crashBackOffWaitingMessage(300_000, 'app', pod), 'back-off 5m0s restarting failed container=app pod=web-7d4b9_shop(a1b2)')
  })

  it('words Killing and Unhealthy', () => {
    assert.equal(msg.killingMessage('web'), 'Stopping container web')
    assert.equal(msg.unhealthyMessage('Readiness', 'HTTP probe failed with statuscode: 500'), 'Readiness probe failed: HTTP probe failed with statuscode: 500')
  })

  it('parses releases and refuses nonsense', () => {
    assert.deepEqual(release('1.33'), {minor: 33, version: 'v1.33.0'})
    assert.deepEqual(release('v1.30.4'), {minor: 30, version: 'v1.30.4'})
    assert.throws(() => release('two'), /unsupported Kubernetes version "two"/)
  })
})
