// Pod rows: READY, STATUS and RESTARTS derived as printers.go does (cases after printers_test.go's
// TestPrintPod and TestPrintPodWithRestartableInitContainer), plus the wide cells and row conditions.
import {strict as assert} from 'node:assert'
import {NOW, ago, cells, headers, table} from './helpers.js'

type Json = Record<string, unknown>

function pod(name: string, spec: Json, status: Json, metadata: Json = {}): Json {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'default', ...metadata}, spec, status}
}

const containers = (n: number): Json[] => Array.from({length: n}, (_, i) => ({name: `c${i}`, image: `img${i}`}))
const running = {running: {startedAt: ago(600)}}
const lastTerminated = (secondsAgo: number): Json => ({terminated: {exitCode: 1, finishedAt: ago(secondsAgo)}})

/** READY, STATUS, RESTARTS, AGE of a pod without a creation timestamp. */
function summary(p: Json): unknown[] {
  return cells('Pod', '', p).slice(1, 5)
}

describe('tables/pods', () => {
  it('declares the pod columns, wide ones with priority 1', () => {
    assert.deepEqual(headers('Pod', ''), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*'])
  })

  describe('status and restarts (printers_test.go TestPrintPod)', () => {
    const cases: Array<[string, Json, unknown[]]> = [
      [
        'counts ready running containers and sums restarts',
        pod('test1', {containers: containers(2)}, {phase: 'podPhase', containerStatuses: [{ready: true, restartCount: 3, state: running}, {restartCount: 3}]}),
        ['1/2', 'podPhase', '6', '<unknown>'],
      ],
      [
        'a waiting reason overrides the phase',
        pod('test2', {containers: containers(2)}, {
          phase: 'podPhase',
          containerStatuses: [{ready: true, restartCount: 3, state: running}, {state: {waiting: {reason: 'ContainerWaitingReason'}}, restartCount: 3}],
        }),
        ['1/2', 'ContainerWaitingReason', '6', '<unknown>'],
      ],
      [
        'the first container wins over later ones',
        pod('test3', {containers: containers(2)}, {
          phase: 'podPhase',
          containerStatuses: [
            {state: {waiting: {reason: 'ContainerWaitingReason'}}, restartCount: 3},
            {state: {terminated: {reason: 'ContainerTerminatedReason'}}, restartCount: 3},
          ],
        }),
        ['0/2', 'ContainerWaitingReason', '6', '<unknown>'],
      ],
      [
        'ready without a running state does not count',
        pod('test4', {containers: containers(2)}, {phase: 'podPhase', containerStatuses: [{ready: true, restartCount: 3, state: running}, {ready: true, restartCount: 3}]}),
        ['1/2', 'podPhase', '6', '<unknown>'],
      ],
      [
        'status.reason replaces the phase',
        pod('test5', {containers: containers(2)}, {
          reason: 'podReason',
          phase: 'podPhase',
          containerStatuses: [{ready: true, restartCount: 3, state: running}, {ready: true, restartCount: 3}],
        }),
        ['1/2', 'podReason', '6', '<unknown>'],
      ],
      [
        'one completed and one running container without Ready condition is NotReady',
        pod('test6', {containers: containers(2)}, {
          phase: 'Running',
          containerStatuses: [
            {ready: true, restartCount: 3, state: {terminated: {reason: 'Completed', exitCode: 0}}},
            {ready: true, restartCount: 3, state: running},
          ],
        }),
        ['1/2', 'NotReady', '6', '<unknown>'],
      ],
      [
        'one completed and one running container with Ready condition is Running',
        pod('test6', {containers: containers(2)}, {
          phase: 'Running',
          conditions: [{type: 'Ready', status: 'True'}],
          containerStatuses: [
            {ready: true, restartCount: 3, state: {terminated: {reason: 'Completed', exitCode: 0}}},
            {ready: true, restartCount: 3, state: running},
          ],
        }),
        ['1/2', 'Running', '6', '<unknown>'],
      ],
      [
        'a restarting init container: Init:0/1 with its restarts and when',
        pod('test7', {initContainers: containers(1), containers: containers(1)}, {
          phase: 'podPhase',
          initContainerStatuses: [{ready: false, restartCount: 3, state: running, lastTerminationState: lastTerminated(10)}],
          containerStatuses: [{ready: false, restartCount: 0, state: {waiting: {}}}],
        }),
        ['0/1', 'Init:0/1', '3 (10s ago)', '<unknown>'],
      ],
      [
        'two init containers, the first still running',
        pod('test8', {initContainers: containers(2), containers: containers(1)}, {
          phase: 'podPhase',
          initContainerStatuses: [
            {ready: false, restartCount: 3, state: running, lastTerminationState: lastTerminated(10)},
            {ready: false, state: {waiting: {}}},
          ],
          containerStatuses: [{ready: false, state: {waiting: {}}}],
        }),
        ['0/1', 'Init:0/2', '3 (10s ago)', '<unknown>'],
      ],
      [
        'the first init container done, the second restarting',
        pod('test9', {initContainers: containers(2), containers: containers(1)}, {
          phase: 'podPhase',
          initContainerStatuses: [
            {ready: false, state: {terminated: {}}},
            {ready: false, restartCount: 3, state: running, lastTerminationState: lastTerminated(10)},
          ],
          containerStatuses: [{ready: false, state: {waiting: {}}}],
        }),
        ['0/1', 'Init:1/2', '3 (10s ago)', '<unknown>'],
      ],
      [
        'restarts of completed init containers count while initializing; the latest restart is shown',
        pod('test10', {initContainers: containers(2), containers: containers(1)}, {
          phase: 'podPhase',
          initContainerStatuses: [
            {ready: false, restartCount: 2, state: {terminated: {}}, lastTerminationState: lastTerminated(120)},
            {ready: false, restartCount: 3, state: running, lastTerminationState: lastTerminated(10)},
          ],
          containerStatuses: [{ready: false, state: {waiting: {}}}],
        }),
        ['0/1', 'Init:1/2', '5 (10s ago)', '<unknown>'],
      ],
      [
        'once initialized, only app container restarts count',
        pod('test11', {initContainers: containers(1), containers: containers(1)}, {
          phase: 'Running',
          initContainerStatuses: [{ready: false, restartCount: 2, state: {terminated: {}}, lastTerminationState: lastTerminated(120)}],
          containerStatuses: [{ready: false, restartCount: 4, state: running, lastTerminationState: lastTerminated(20)}],
        }),
        ['0/1', 'Running', '4 (20s ago)', '<unknown>'],
      ],
      [
        'a restart days ago',
        pod('test12', {containers: containers(1)}, {
          phase: 'Running',
          containerStatuses: [{ready: true, restartCount: 3, state: running, lastTerminationState: lastTerminated(5 * 86400)}],
        }),
        ['1/1', 'Running', '3 (5d ago)', '<unknown>'],
      ],
      [
        'the most recent of several restarts',
        pod('test14', {containers: containers(2)}, {
          phase: 'Running',
          containerStatuses: [
            {ready: true, restartCount: 6, state: running, lastTerminationState: lastTerminated(5 * 86400)},
            {ready: true, restartCount: 3, state: running, lastTerminationState: lastTerminated(20 * 86400)},
          ],
        }),
        ['2/2', 'Running', '9 (5d ago)', '<unknown>'],
      ],
      [
        'scheduling gates show as SchedulingGated',
        pod('test15', {containers: containers(2)}, {phase: 'podPhase', conditions: [{type: 'PodScheduled', status: 'False', reason: 'SchedulingGated'}]}),
        ['0/2', 'SchedulingGated', '0', '<unknown>'],
      ],
      [
        'a succeeded pod shows its container reason',
        pod('test16', {containers: containers(1)}, {phase: 'Succeeded', containerStatuses: [{ready: false, restartCount: 0, state: {terminated: {reason: 'Completed', exitCode: 0}}}]}),
        ['0/1', 'Completed', '0', '<unknown>'],
      ],
      [
        'a failed pod shows Error',
        pod('test17', {containers: containers(1)}, {phase: 'Failed', containerStatuses: [{ready: false, restartCount: 0, state: {terminated: {reason: 'Error', exitCode: 1}}}]}),
        ['0/1', 'Error', '0', '<unknown>'],
      ],
      [
        'a finished pod being deleted keeps its status',
        pod('test18', {containers: containers(1)}, {phase: 'Succeeded', containerStatuses: [{state: {terminated: {reason: 'Completed', exitCode: 0}}}]}, {deletionTimestamp: ago(10)}),
        ['0/1', 'Completed', '0', '<unknown>'],
      ],
      [
        'a running pod being deleted is Terminating',
        pod('test19', {containers: containers(1)}, {phase: 'Running', containerStatuses: [{ready: false, state: running}]}, {deletionTimestamp: ago(10)}),
        ['0/1', 'Terminating', '0', '<unknown>'],
      ],
      [
        'a pending pod being deleted is Terminating',
        pod('test20', {containers: containers(1)}, {phase: 'Pending'}, {deletionTimestamp: ago(10)}),
        ['0/1', 'Terminating', '0', '<unknown>'],
      ],
    ]
    for (const [title, p, want] of cases) {
      it(title, () => assert.deepEqual(summary(p), want))
    }
  })

  describe('more status reasons', () => {
    const cases: Array<[string, Json, string]> = [
      ['CrashLoopBackOff', pod('p', {containers: containers(1)}, {phase: 'Running', containerStatuses: [{restartCount: 4, state: {waiting: {reason: 'CrashLoopBackOff'}}}]}), 'CrashLoopBackOff'],
      ['ImagePullBackOff', pod('p', {containers: containers(1)}, {phase: 'Pending', containerStatuses: [{state: {waiting: {reason: 'ImagePullBackOff'}}}]}), 'ImagePullBackOff'],
      ['ContainerCreating', pod('p', {containers: containers(1)}, {phase: 'Pending', containerStatuses: [{state: {waiting: {reason: 'ContainerCreating'}}}]}), 'ContainerCreating'],
      ['OOMKilled', pod('p', {containers: containers(1)}, {phase: 'Running', containerStatuses: [{state: {terminated: {reason: 'OOMKilled', exitCode: 137}}}]}), 'OOMKilled'],
      ['terminated by a signal without a reason', pod('p', {containers: containers(1)}, {phase: 'Running', containerStatuses: [{state: {terminated: {signal: 9, exitCode: 137}}}]}), 'Signal:9'],
      ['terminated with an exit code and no reason', pod('p', {containers: containers(1)}, {phase: 'Running', containerStatuses: [{state: {terminated: {exitCode: 2}}}]}), 'ExitCode:2'],
      ['an init container failed with a reason', pod('p', {initContainers: containers(2), containers: containers(1)}, {phase: 'Pending', initContainerStatuses: [{state: {terminated: {reason: 'Error', exitCode: 1}}}]}), 'Init:Error'],
      ['an init container failed with an exit code', pod('p', {initContainers: containers(1), containers: containers(1)}, {phase: 'Pending', initContainerStatuses: [{state: {terminated: {exitCode: 3}}}]}), 'Init:ExitCode:3'],
      ['an init container killed by a signal', pod('p', {initContainers: containers(1), containers: containers(1)}, {phase: 'Pending', initContainerStatuses: [{state: {terminated: {signal: 15, exitCode: 143}}}]}), 'Init:Signal:15'],
      ['an init container waiting with a reason', pod('p', {initContainers: containers(1), containers: containers(1)}, {phase: 'Pending', initContainerStatuses: [{state: {waiting: {reason: 'CrashLoopBackOff'}}}]}), 'Init:CrashLoopBackOff'],
      ['PodInitializing is not reported as an init reason', pod('p', {initContainers: containers(3), containers: containers(1)}, {phase: 'Pending', initContainerStatuses: [{state: {terminated: {exitCode: 0}}}, {state: {waiting: {reason: 'PodInitializing'}}}]}), 'Init:1/3'],
      ['node lost while deleting shows Unknown', pod('p', {containers: containers(1)}, {phase: 'Running', reason: 'NodeLost', containerStatuses: [{state: running}]}, {deletionTimestamp: ago(1)}), 'Unknown'],
      ['evicted pods show the status reason', pod('p', {containers: containers(1)}, {phase: 'Failed', reason: 'Evicted'}), 'Evicted'],
    ]
    for (const [title, p, want] of cases) {
      it(title, () => assert.equal(summary(p)[1], want))
    }
  })

  describe('restartable init containers (sidecars)', () => {
    const sidecars = [
      {name: 'restartable-init-1', restartPolicy: 'Always'},
      {name: 'restartable-init-2', restartPolicy: 'Always'},
    ]
    it('count towards the total and report Init:i/n until started', () => {
      const p = pod('test1', {initContainers: sidecars, containers: containers(1)}, {
        phase: 'Pending',
        conditions: [{type: 'Initialized', status: 'False'}],
        initContainerStatuses: [
          {name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastTerminationState: lastTerminated(10)},
          {name: 'restartable-init-2', ready: false, state: running, started: false},
        ],
        containerStatuses: [{ready: false, restartCount: 0, state: {waiting: {}}}],
      })
      assert.deepEqual(summary(p), ['0/3', 'Init:1/2', '3 (10s ago)', '<unknown>'])
    })
    it('once initialized, add sidecar restarts and readiness to the app containers', () => {
      const p = pod('test2', {initContainers: sidecars, containers: containers(1)}, {
        phase: 'Running',
        conditions: [{type: 'Initialized', status: 'True'}],
        initContainerStatuses: [
          {name: 'restartable-init-1', ready: false, restartCount: 3, state: running, started: true, lastTerminationState: lastTerminated(10)},
          {name: 'restartable-init-2', ready: true, state: running, started: true},
        ],
        containerStatuses: [{ready: true, restartCount: 4, state: running, lastTerminationState: lastTerminated(20)}],
      })
      assert.deepEqual(summary(p), ['2/3', 'Running', '7 (10s ago)', '<unknown>'])
    })
  })

  describe('wide cells', () => {
    it('shows IP, node, nominated node and readiness gates', () => {
      const p = pod(
        'web',
        {containers: containers(1), nodeName: 'node-1', readinessGates: [{conditionType: 'example.com/lb'}, {conditionType: 'example.com/dns'}]},
        {
          phase: 'Running',
          podIPs: [{ip: '10.0.0.7'}, {ip: 'fd00::7'}],
          podIP: '10.0.0.7',
          nominatedNodeName: 'node-2',
          conditions: [
            {type: 'example.com/lb', status: 'True'},
            {type: 'example.com/dns', status: 'False'},
          ],
          containerStatuses: [{ready: true, state: running}],
        },
        {creationTimestamp: ago(3600)},
      )
      assert.deepEqual(cells('Pod', '', p), ['web', '1/1', 'Running', '0', '60m', '10.0.0.7', 'node-1', 'node-2', '1/2'])
    })
    it('uses podIP when podIPs is absent, and <none> for what is unset', () => {
      const p = pod('web', {containers: containers(1)}, {phase: 'Pending', podIP: '10.1.1.1'})
      assert.deepEqual(cells('Pod', '', p).slice(5), ['10.1.1.1', '<none>', '<none>', '<none>'])
      const q = pod('web', {containers: containers(1)}, {phase: 'Pending'})
      assert.deepEqual(cells('Pod', '', q).slice(5), ['<none>', '<none>', '<none>', '<none>'])
    })
  })

  describe('row conditions', () => {
    it('marks succeeded and failed pods Completed', () => {
      const t = table('Pod', '', [
        pod('ok', {containers: containers(1)}, {phase: 'Succeeded'}),
        pod('bad', {containers: containers(1)}, {phase: 'Failed'}),
        pod('run', {containers: containers(1)}, {phase: 'Running'}),
      ])
      assert.deepEqual(t.rows[0]!.conditions, [{type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'}])
      assert.deepEqual(t.rows[1]!.conditions, [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}])
      assert.equal(t.rows[2]!.conditions, undefined)
      assert.deepEqual(Object.keys(t.rows[0]!), ['cells', 'conditions', 'object'])
    })
  })

  it('ages from the fixed clock', () => {
    const p = pod('a', {containers: containers(1)}, {phase: 'Running'}, {creationTimestamp: new Date(NOW.getTime() - 3 * 86400_000).toISOString()})
    assert.equal(cells('Pod', '', p)[4], '3d')
  })
})
