// Rows of the apps and batch kinds: Deployment, ReplicaSet, StatefulSet, DaemonSet,
// ControllerRevision, Job (STATUS, COMPLETIONS, DURATION) and CronJob.
import {strict as assert} from 'node:assert'
import {ago, cells, headers} from './helpers.js'

type Json = Record<string, unknown>

const meta = (name: string, extra: Json = {}): Json => ({name, namespace: 'default', creationTimestamp: ago(3 * 3600 + 120), ...extra})
const template = {spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}, {name: 'sidecar', image: 'envoy:v1'}]}}

describe('tables/workloads', () => {
  describe('Deployment', () => {
    it('columns', () => assert.deepEqual(headers('Deployment', 'apps'), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*']))
    it('READY is ready/desired; the selector is the selector string', () => {
      const d = {
        metadata: meta('web'),
        spec: {replicas: 3, selector: {matchLabels: {app: 'web'}, matchExpressions: [{key: 'tier', operator: 'In', values: ['b', 'a']}]}, template},
        status: {replicas: 3, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1},
      }
      assert.deepEqual(cells('Deployment', 'apps', d), ['web', '1/3', 2, 1, '3h2m', 'nginx,sidecar', 'nginx:1.27,envoy:v1', 'app=web,tier in (a,b)'])
    })
    it('a fresh deployment with nothing ready and the default replica count', () => {
      const d = {metadata: meta('new'), spec: {selector: {matchLabels: {app: 'new'}}, template}, status: {}}
      assert.deepEqual(cells('Deployment', 'apps', d).slice(0, 4), ['new', '0/1', 0, 0])
    })
    it('scaled to zero', () => {
      assert.equal(cells('Deployment', 'apps', {metadata: meta('z'), spec: {replicas: 0, template}, status: {}})[1], '0/0')
    })
    it('an invalid selector shows <invalid>', () => {
      const d = {metadata: meta('bad'), spec: {replicas: 1, selector: {matchExpressions: [{key: 'a', operator: 'Bogus'}]}, template}}
      assert.equal(cells('Deployment', 'apps', d)[7], '<invalid>')
    })
  })

  it('ReplicaSet DESIRED/CURRENT/READY', () => {
    const rs = {metadata: meta('web-5d4f8'), spec: {replicas: 2, selector: {matchLabels: {app: 'web', 'pod-template-hash': '5d4f8'}}, template}, status: {replicas: 2, readyReplicas: 1}}
    assert.deepEqual(cells('ReplicaSet', 'apps', rs), ['web-5d4f8', 2, 2, 1, '3h2m', 'nginx,sidecar', 'nginx:1.27,envoy:v1', 'app=web,pod-template-hash=5d4f8'])
    assert.deepEqual(headers('ReplicaSet', 'apps'), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers*', 'Images*', 'Selector*'])
  })

  it('StatefulSet READY', () => {
    const ss = {metadata: meta('db'), spec: {replicas: 3, template}, status: {replicas: 3, readyReplicas: 2}}
    assert.deepEqual(cells('StatefulSet', 'apps', ss), ['db', '2/3', '3h2m', 'nginx,sidecar', 'nginx:1.27,envoy:v1'])
    assert.deepEqual(headers('StatefulSet', 'apps'), ['Name', 'Ready', 'Age', 'Containers*', 'Images*'])
  })

  it('DaemonSet counters and node selector', () => {
    const ds = {
      metadata: meta('agent'),
      spec: {selector: {matchLabels: {app: 'agent'}}, template: {spec: {nodeSelector: {'kubernetes.io/os': 'linux'}, containers: [{name: 'a', image: 'a:1'}]}}},
      status: {desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2},
    }
    assert.deepEqual(cells('DaemonSet', 'apps', ds), ['agent', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '3h2m', 'a', 'a:1', 'app=agent'])
    const bare = {metadata: meta('b'), spec: {template: {spec: {}}}}
    assert.deepEqual(cells('DaemonSet', 'apps', bare), ['b', 0, 0, 0, 0, 0, '<none>', '3h2m', '', '', '<none>'])
  })

  describe('ControllerRevision', () => {
    it('names its controller as kind.group/name', () => {
      const cr = {metadata: meta('web-7b9', {ownerReferences: [{apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true}]}), revision: 4}
      assert.deepEqual(cells('ControllerRevision', 'apps', cr), ['web-7b9', 'statefulset.apps/web', 4, '3h2m'])
    })
    it('core-group owners have no group suffix; no controller is <none>', () => {
      const core = {metadata: meta('x', {ownerReferences: [{apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true}]}), revision: 1}
      assert.equal(cells('ControllerRevision', 'apps', core)[1], 'pod/p')
      const none = {metadata: meta('y', {ownerReferences: [{apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'd', uid: 'u'}]}), revision: 1}
      assert.equal(cells('ControllerRevision', 'apps', none)[1], '<none>')
    })
  })

  describe('Job', () => {
    it('columns (STATUS since 1.31)', () => {
      assert.deepEqual(headers('Job', 'batch'), ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers*', 'Images*', 'Selector*'])
    })
    const job = (spec: Json, status: Json, extra: Json = {}): Json => ({
      metadata: meta('pi', extra),
      spec: {template, selector: {matchLabels: {'batch.kubernetes.io/controller-uid': 'abc'}}, ...spec},
      status,
    })
    const cases: Array<[string, Json, unknown[]]> = [
      ['running with a start time', job({completions: 3, parallelism: 1}, {startTime: ago(125), active: 1, succeeded: 1}), ['Running', '1/3', '2m5s']],
      [
        'complete: duration from start to completion',
        job({completions: 1}, {startTime: ago(3600), completionTime: ago(3600 - 42), succeeded: 1, conditions: [{type: 'SuccessCriteriaMet', status: 'True'}, {type: 'Complete', status: 'True'}]}),
        ['Complete', '1/1', '42s'],
      ],
      ['failed', job({completions: 1}, {startTime: ago(100), failed: 4, conditions: [{type: 'FailureTarget', status: 'True'}, {type: 'Failed', status: 'True'}]}), ['Failed', '0/1', '100s']],
      ['failure target reached but not yet failed', job({completions: 1}, {startTime: ago(10), conditions: [{type: 'FailureTarget', status: 'True'}]}), ['FailureTarget', '0/1', '10s']],
      ['suspended before starting', job({completions: 5, suspend: true}, {conditions: [{type: 'Suspended', status: 'True'}]}), ['Suspended', '0/5', '']],
      ['terminating', job({completions: 2}, {startTime: ago(60), succeeded: 1}, {deletionTimestamp: ago(1)}), ['Terminating', '1/2', '60s']],
      ['a False condition does not count', job({completions: 1}, {conditions: [{type: 'Complete', status: 'False'}]}), ['Running', '0/1', '']],
      ['no completions and parallelism above 1: work queue', job({parallelism: 4}, {succeeded: 2}), ['Running', '2/1 of 4', '']],
      ['no completions, parallelism 1', job({parallelism: 1}, {}), ['Running', '0/1', '']],
    ]
    for (const [title, j, want] of cases) it(title, () => assert.deepEqual(cells('Job', 'batch', j).slice(1, 4), want))
    it('wide cells', () => {
      assert.deepEqual(cells('Job', 'batch', job({completions: 1}, {})).slice(5), ['nginx,sidecar', 'nginx:1.27,envoy:v1', 'batch.kubernetes.io/controller-uid=abc'])
    })
  })

  describe('CronJob', () => {
    const cj = (spec: Json, status: Json): Json => ({
      metadata: meta('backup'),
      spec: {schedule: '*/5 * * * *', jobTemplate: {spec: {template: {spec: {containers: [{name: 'b', image: 'backup:2'}]}}}}, ...spec},
      status,
    })
    it('columns', () => {
      assert.deepEqual(headers('CronJob', 'batch'), ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers*', 'Images*', 'Selector*'])
    })
    it('never scheduled', () => {
      assert.deepEqual(cells('CronJob', 'batch', cj({suspend: false}, {})), ['backup', '*/5 * * * *', '<none>', 'False', 0, '<none>', '3h2m', 'b', 'backup:2', '<none>'])
    })
    it('with a time zone, active jobs and a last schedule time', () => {
      const c = cj({suspend: true, timeZone: 'Europe/Paris'}, {active: [{name: 'backup-1'}, {name: 'backup-2'}], lastScheduleTime: ago(240)})
      assert.deepEqual(cells('CronJob', 'batch', c).slice(1, 6), ['*/5 * * * *', 'Europe/Paris', 'True', 2, '4m'])
    })
    it('suspend unset is <unset>', () => assert.equal(cells('CronJob', 'batch', cj({}, {}))[3], '<unset>'))
  })
})
