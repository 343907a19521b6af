// Container logs: the stores keep the current and previous instance of each container, answer with
// the kubelet's errors, survive a reopen (files), and serve pods/log in a cluster whose kubelets run
// and crash containers.
import {strict as assert} from 'node:assert'
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {FileLogStore, MemoryLogStore, rfc3339Nano, type LogStore} from '../../../src/emulator/log-store.js'
import {loadClusterProfile} from '../../../src/emulator/cluster-profile.js'
import {ApiError} from '../../../src/apiserver/errors.js'
import {LocalCluster} from '../../../src/client/local.js'
import type {LogLine} from '../../../src/kubelet/logs.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0)
const ref = {namespace: 'default', name: 'web', uid: 'u-1'}
const line = (attempt: number, s: number, text: string, container = 'c'): LogLine => ({container, attempt, line: text, at: new Date(T0 + s * 1000)})

function pod(cs: Any, nodeName = 'node-1'): Any {
  return {metadata: {name: 'web', namespace: 'default', uid: 'u-1'}, spec: {containers: [{name: 'c'}], ...(nodeName ? {nodeName} : {})}, status: {containerStatuses: [{name: 'c', ...cs}]}}
}
const running = (restartCount: number, lastState: Any = {}) => pod({restartCount, state: {running: {}}, lastState})
const crashed = {terminated: {exitCode: 1, reason: 'Error'}}

function errorOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    assert.ok(e instanceof ApiError)
    assert.equal(e.code, 400)
    return e.status.message ?? ''
  }
  return 'no error'
}

function behaves(make: () => {store: LogStore; reopen?: () => LogStore}): void {
  it('stamps lines in RFC 3339 with the fraction Go prints', () => {
    const {store} = make()
    store.append(ref, [line(0, 1, 'hello'), {...line(0, 1, 'later'), at: new Date(T0 + 1250)}])
    assert.equal(store.read('default', running(0), 'c', {previous: false}), '2026-11-22T12:00:01Z hello\n2026-11-22T12:00:01.25Z later\n')
  })

  it('reads the current instance, the previous one with previous, and keeps only those two', () => {
    const {store, reopen} = make()
    store.append(ref, [line(0, 1, 'first'), line(1, 5, 'second'), line(2, 9, 'third'), line(2, 10, 'third again')])
    const s = reopen ? reopen() : store
    const last = {terminated: {exitCode: 1}}
    assert.equal(s.read('default', running(2, last), 'c', {previous: false}), '2026-11-22T12:00:09Z third\n2026-11-22T12:00:10Z third again\n')
    assert.equal(s.read('default', running(2, last), 'c', {previous: true}), '2026-11-22T12:00:05Z second\n')
    // Waiting to restart after instance 2 crashed: the last terminated one is the newest.
    const waiting = pod({restartCount: 3, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastState: crashed})
    assert.equal(s.read('default', waiting, 'c', {previous: false}), '2026-11-22T12:00:09Z third\n2026-11-22T12:00:10Z third again\n')
    assert.equal(s.read('default', waiting, 'c', {previous: true}), '2026-11-22T12:00:09Z third\n2026-11-22T12:00:10Z third again\n')
    // Instance 0 is gone: the kubelet keeps one previous instance.
    assert.equal(s.read('default', running(1, last), 'c', {previous: true}), '')
  })

  it("answers with the kubelet's errors", () => {
    const {store} = make()
    assert.equal(errorOf(() => store.read('default', running(0), 'c', {previous: true})), 'previous terminated container "c" in pod "web" not found')
    assert.equal(errorOf(() => store.read('default', pod({state: {waiting: {reason: 'ContainerCreating'}}}), 'c', {previous: false})), 'container "c" in pod "web" is waiting to start: ContainerCreating')
    assert.equal(errorOf(() => store.read('default', pod({state: {waiting: {reason: 'ImagePullBackOff'}}}), 'c', {previous: false})), 'container "c" in pod "web" is waiting to start: trying and failing to pull image')
    assert.equal(errorOf(() => store.read('default', pod({state: {waiting: {reason: 'ErrImagePull'}}}), 'c', {previous: false})), 'container "c" in pod "web" is waiting to start: image can\'t be pulled')
    const noStatus = {metadata: {name: 'web', uid: 'u-1'}, spec: {nodeName: 'node-1'}, status: {}}
    assert.equal(errorOf(() => store.read('default', noStatus, 'c', {previous: false})), 'container "c" in pod "web" is not available')
    assert.equal(store.read('default', pod({}, ''), 'c', {previous: false}), '', 'an unscheduled pod has no kubelet: nothing is streamed')
  })

  it('keeps containers apart and forgets a removed pod', () => {
    const {store, reopen} = make()
    store.append(ref, [line(0, 1, 'from c'), line(0, 1, 'from side', 'side')])
    const two: Any = running(0)
    two.status.containerStatuses.push({name: 'side', restartCount: 0, state: {running: {}}})
    assert.equal(store.read('default', two, 'side', {previous: false}), '2026-11-22T12:00:01Z from side\n')
    store.removePod('u-1')
    const s = reopen ? reopen() : store
    assert.equal(s.read('default', two, 'c', {previous: false}), '')
  })
}

describe('MemoryLogStore', () => {
  behaves(() => ({store: new MemoryLogStore()}))
})

describe('FileLogStore', () => {
  const dirs: string[] = []
  after(() => dirs.forEach((d) => rmSync(d, {recursive: true, force: true})))
  behaves(() => {
    const dir = mkdtempSync(join(tmpdir(), 'kube2-logs-'))
    dirs.push(dir)
    return {store: new FileLogStore(dir), reopen: () => new FileLogStore(dir)}
  })

  it('writes the kubelet layout: <ns>_<pod>_<uid>/<container>/<restartCount>.log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube2-logs-'))
    dirs.push(dir)
    new FileLogStore(dir).append(ref, [line(0, 1, 'a'), line(1, 2, 'b')])
    assert.deepEqual(readdirSync(dir), ['default_web_u-1'])
    assert.deepEqual(readdirSync(join(dir, 'default_web_u-1', 'c')).sort(), ['0.log', '1.log'])
  })
})

describe('pods/log in a running cluster', () => {
  const podLog = (c: ReturnType<typeof newCluster>, name: string, query: Record<string, string> = {}) =>
    c.cp.handle({verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name, subresource: 'log', query})

  it('serves what the kubelet wrote, and the crashed instance with previous', () => {
    const c = newCluster(7, {cluster: loadClusterProfile()})
    c.api.ok(c.api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'web'}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]}}))
    c.api.ok(c.api.create('pods', {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'bad'}, spec: {containers: [{name: 'app', image: 'example.com/shop/api:crashloop'}]}}))
    c.cp.settle({horizonMs: 60_000})
    const web = podLog(c, 'web')
    assert.equal(web.status, 200)
    const text = String(web.body)
    assert.ok(text.length > 0, 'nginx wrote its start-up lines')
    assert.ok(!/^\d{4}-/.test(text), 'without timestamps=true the stamps are cut')
    const stamped = String(podLog(c, 'web', {timestamps: 'true'}).body).split('\n')[0]!
    assert.match(stamped, /^2026-11-22T12:00:\d\d(\.\d+)?Z /)

    const bad = c.api.ok(c.api.get('pods', 'bad'))
    const cs = bad.status.containerStatuses[0]
    assert.ok(cs.restartCount >= 1, `the container restarted (${JSON.stringify(cs)})`)
    const prev = podLog(c, 'bad', {previous: 'true', timestamps: 'true'})
    assert.equal(prev.status, 200)
    const finished = Date.parse(cs.lastState.terminated.finishedAt)
    // Status times are whole seconds; the lines carry milliseconds.
    const stamps = String(prev.body).trim().split('\n').map((l) => Date.parse(l.slice(0, l.indexOf(' '))))
    assert.ok(stamps.length > 0 && stamps.every((t) => Math.floor(t / 1000) * 1000 <= finished && Math.floor(t / 1000) * 1000 >= Date.parse(cs.lastState.terminated.startedAt)), 'the lines of the last terminated instance')
    assert.match(String(prev.body), / ERROR /, 'with the line it crashed on')
  })

  it('keeps the logs of the embedded cluster across commands (files beside the database)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kube2-home-'))
    try {
      const dir = join(home, 'clusters', 'default')
      const first = LocalCluster.open({stateDir: dir, seed: 3})
      await first.request({verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'web'}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]}}})
      const read = async (cl: LocalCluster) => (await cl.request({verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'web', subresource: 'log', query: {}}))
      const before = await read(first)
      assert.equal(before.status, 200)
      await first.close()
      const second = LocalCluster.open({stateDir: dir, seed: 3})
      const again = await read(second)
      await second.close()
      assert.equal(again.status, 200)
      assert.ok(String(again.body).startsWith(String(before.body)), 'the second command reads what the first one wrote')
      assert.ok(String(before.body).length > 0)
    } finally {
      rmSync(home, {recursive: true, force: true})
    }
  })

  it('formats stamps as Go does', () => {
    assert.equal(rfc3339Nano(new Date(T0)), '2026-11-22T12:00:00Z')
    assert.equal(rfc3339Nano(new Date(T0 + 10)), '2026-11-22T12:00:00.01Z')
  })
})
