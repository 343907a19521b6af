// Golden cases for printTable: each table, the kubectl flags it stands for, and the exact text.
// The expected text was produced by a real kubectl 1.32 reading the same Table from a stub server.
import type {Table} from '../../../src/apiserver/tables/index.js'
import type {PrintTableOptions} from '../../../src/print/table.js'
import {ago, table} from './helpers.js'

export interface PrinterCase {
  title: string
  /** The resource kubectl was asked for; `nodes` is cluster-scoped, the others namespaced. */
  resource: 'pods' | 'nodes' | 'services'
  flags: string[]
  table: Table
  expected: string
}

const pods = table(
  'Pod',
  '',
  [
    {
      metadata: {name: 'nginx-7c5ddbdf54-abcde', namespace: 'default', creationTimestamp: ago(300), labels: {app: 'nginx', 'pod-template-hash': '7c5ddbdf54', 'app.kubernetes.io/name': 'web'}},
      spec: {containers: [{name: 'nginx', image: 'nginx'}], nodeName: 'node-1'},
      status: {phase: 'Running', podIP: '10.244.0.5', conditions: [{type: 'Ready', status: 'True'}], containerStatuses: [{name: 'nginx', ready: true, restartCount: 0, state: {running: {}}}]},
    },
    {
      metadata: {name: 'db', namespace: 'prod', creationTimestamp: ago(12 * 86400)},
      spec: {containers: [{name: 'a'}, {name: 'b'}]},
      status: {
        phase: 'Running',
        containerStatuses: [
          {name: 'a', ready: false, restartCount: 5, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastTerminationState: {terminated: {finishedAt: ago(90)}}},
          {name: 'b', ready: true, restartCount: 0, state: {running: {}}},
        ],
      },
    },
    {
      metadata: {name: 'ünïcode-名前', namespace: 'default', creationTimestamp: ago(5), labels: {'app.kubernetes.io/name': 'x'}},
      spec: {containers: [{name: 'a'}]},
      status: {phase: 'Pending'},
    },
  ],
  {listMeta: {resourceVersion: '1'}},
)

const podsWithoutObjects = {...pods, rows: pods.rows.map((r) => ({...r, object: null}))}

const nodes = table(
  'Node',
  '',
  [
    {metadata: {name: 'cp', creationTimestamp: ago(3 * 86400 + 7200), labels: {'node-role.kubernetes.io/control-plane': ''}}, status: {conditions: [{type: 'Ready', status: 'True'}], nodeInfo: {kubeletVersion: 'v1.32.0'}}},
    {metadata: {name: 'w1', creationTimestamp: ago(3600)}, spec: {unschedulable: true}, status: {conditions: [{type: 'Ready', status: 'False'}], nodeInfo: {kubeletVersion: 'v1.32.0'}}},
  ],
  {listMeta: {resourceVersion: '1'}},
)

const col = (name: string, priority = 0, format = '') => ({name, type: 'string', format, description: '', priority})
const partial = (name: string, namespace: string, labels: Record<string, string> = {}) => ({
  kind: 'PartialObjectMetadata' as const,
  apiVersion: 'meta.k8s.io/v1' as const,
  metadata: {name, namespace, labels, creationTimestamp: null},
})

/** Odd cells a server might send: numbers, floats, booleans, nil, maps, multi-line and control text. */
const odd: Table = {
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: {resourceVersion: '5'},
  columnDefinitions: [col('Name', 0, 'name'), col('Num'), col('Wide Thing', 1), col('Flag'), col('Text')],
  rows: [
    {cells: ['a', 42, 'w1', true, 'line1\nline2'], object: partial('a', 'ns1', {x: 'y'})},
    {cells: ['bb', 1.5, null, false, 'esc\u001b[31mred\rcr'], object: partial('bb', 'default')},
    {cells: ['c', 1234567.5, 'w3', null, 'tab\there'], object: partial('c', 'default')},
    {cells: ['d', {k: 1, a: [1, 'x']}, 'w4'], object: null},
    {cells: ['e', 0.00001, 'w5', 'x', 'extra', 'beyond-columns'], object: partial('e', 'other')},
    {cells: ['f', -3, 'w6', 'y', 'form\ffeed'], object: partial('f', 'zz')},
    {cells: [], object: partial('g', 'default')},
  ],
}

/** A one-cell row flushes kubectl's writer; later rows keep the widths seen before it. */
const ragged: Table = {
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: {},
  columnDefinitions: [col('A'), col('B'), col('C')],
  rows: [
    {cells: ['aaaaaaaaaa', 'bbbbbbbbbbbb', 'c'], object: partial('x', 'default')},
    {cells: ['only'], object: partial('y', 'default')},
    {cells: ['d', 'e', 'f'], object: partial('z', 'default')},
    {cells: ['g', 'h'], object: partial('w', 'default')},
    {cells: ['i', 'j', 'k'], object: partial('v', 'default')},
  ],
}

export const PRINTER_CASES: PrinterCase[] = [
  {
    title: 'pods',
    resource: 'pods',
    flags: [],
    table: pods,
    expected: [
      'NAME                     READY   STATUS             RESTARTS      AGE',
      'nginx-7c5ddbdf54-abcde   1/1     Running            0             5m',
      'db                       1/2     CrashLoopBackOff   5 (90s ago)   12d',
      'ünïcode-名前               0/1     Pending            0             5s',
      '',
    ].join('\n'),
  },
  {
    title: 'pods -o wide',
    resource: 'pods',
    flags: ['-owide'],
    table: pods,
    expected: [
      'NAME                     READY   STATUS             RESTARTS      AGE   IP           NODE     NOMINATED NODE   READINESS GATES',
      'nginx-7c5ddbdf54-abcde   1/1     Running            0             5m    10.244.0.5   node-1   <none>           <none>',
      'db                       1/2     CrashLoopBackOff   5 (90s ago)   12d   <none>       <none>   <none>           <none>',
      'ünïcode-名前               0/1     Pending            0             5s    <none>       <none>   <none>           <none>',
      '',
    ].join('\n'),
  },
  {
    title: 'pods -A',
    resource: 'pods',
    flags: ['-A'],
    table: pods,
    expected: [
      'NAMESPACE   NAME                     READY   STATUS             RESTARTS      AGE',
      'default     nginx-7c5ddbdf54-abcde   1/1     Running            0             5m',
      'prod        db                       1/2     CrashLoopBackOff   5 (90s ago)   12d',
      'default     ünïcode-名前               0/1     Pending            0             5s',
      '',
    ].join('\n'),
  },
  {
    title: 'pods --show-labels (pairs sorted as strings)',
    resource: 'pods',
    flags: ['--show-labels'],
    table: pods,
    expected: [
      'NAME                     READY   STATUS             RESTARTS      AGE   LABELS',
      'nginx-7c5ddbdf54-abcde   1/1     Running            0             5m    app.kubernetes.io/name=web,app=nginx,pod-template-hash=7c5ddbdf54',
      'db                       1/2     CrashLoopBackOff   5 (90s ago)   12d   <none>',
      'ünïcode-名前               0/1     Pending            0             5s    app.kubernetes.io/name=x',
      '',
    ].join('\n'),
  },
  {
    title: 'pods -L app.kubernetes.io/name -L missing',
    resource: 'pods',
    flags: ['-Lapp.kubernetes.io/name', '-Lmissing'],
    table: pods,
    expected: [
      'NAME                     READY   STATUS             RESTARTS      AGE   NAME   MISSING',
      'nginx-7c5ddbdf54-abcde   1/1     Running            0             5m    web    ',
      'db                       1/2     CrashLoopBackOff   5 (90s ago)   12d          ',
      'ünïcode-名前               0/1     Pending            0             5s    x      ',
      '',
    ].join('\n'),
  },
  {
    title: 'pods --no-headers -A --show-labels',
    resource: 'pods',
    flags: ['--no-headers', '-A', '--show-labels'],
    table: pods,
    expected: [
      'default   nginx-7c5ddbdf54-abcde   1/1   Running            0             5m    app.kubernetes.io/name=web,app=nginx,pod-template-hash=7c5ddbdf54',
      'prod      db                       1/2   CrashLoopBackOff   5 (90s ago)   12d   <none>',
      'default   ünïcode-名前               0/1   Pending            0             5s    app.kubernetes.io/name=x',
      '',
    ].join('\n'),
  },
  {
    title: 'pods -A without row objects (includeObject=None)',
    resource: 'pods',
    flags: ['-A', '--show-labels', '-Lapp'],
    table: podsWithoutObjects,
    expected: [
      'NAMESPACE   NAME                     READY   STATUS             RESTARTS      AGE   APP   LABELS',
      '            nginx-7c5ddbdf54-abcde   1/1     Running            0             5m    ',
      '            db                       1/2     CrashLoopBackOff   5 (90s ago)   12d   ',
      '            ünïcode-名前               0/1     Pending            0             5s    ',
      '',
    ].join('\n'),
  },
  {
    title: 'nodes -o wide',
    resource: 'nodes',
    flags: ['-owide'],
    table: nodes,
    expected: [
      'NAME   STATUS                        ROLES           AGE    VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE    KERNEL-VERSION   CONTAINER-RUNTIME',
      'cp     Ready                         control-plane   3d2h   v1.32.0   <none>        <none>        <unknown>   <unknown>        <unknown>',
      'w1     NotReady,SchedulingDisabled   <none>          60m    v1.32.0   <none>        <none>        <unknown>   <unknown>        <unknown>',
      '',
    ].join('\n'),
  },
  {
    title: 'nodes --show-labels',
    resource: 'nodes',
    flags: ['--show-labels'],
    table: nodes,
    expected: [
      'NAME   STATUS                        ROLES           AGE    VERSION   LABELS',
      'cp     Ready                         control-plane   3d2h   v1.32.0   node-role.kubernetes.io/control-plane=',
      'w1     NotReady,SchedulingDisabled   <none>          60m    v1.32.0   <none>',
      '',
    ].join('\n'),
  },
  {
    title: 'odd cells',
    resource: 'services',
    flags: [],
    table: odd,
    expected: [
      'NAME   NUM             FLAG    TEXT',
      'a      42              true    line1...',
      'bb     1.5             false   esc^[[31mred...',
      'c      1.2345675e+06           tab   here',
      'd      map[a:[1 x] k:1]',
      'e      1e-05           x       extra',
      'f      -3              y       form...',
      '',
      '',
    ].join('\n'),
  },
  {
    title: 'odd cells -A -o wide --show-labels -L x',
    resource: 'services',
    flags: ['-A', '-owide', '--show-labels', '-Lx'],
    table: odd,
    expected: [
      'NAMESPACE   NAME   NUM                WIDE THING   FLAG    TEXT              X      LABELS',
      'ns1         a      42                 w1           true    line1...          y      x=y',
      'default     bb     1.5                             false   esc^[[31mred...          <none>',
      'default     c      1.2345675e+06      w3                   tab               here         <none>',
      '            d      map[a:[1 x] k:1]   w4                   ',
      'other       e      1e-05              w5           x       extra             beyond-columns   ',
      'zz          f      -3                 w6           y       form...                            <none>',
      'default            <none>',
      '',
    ].join('\n'),
  },
  {
    title: 'odd cells --no-headers -A',
    resource: 'services',
    flags: ['--no-headers', '-A'],
    table: odd,
    expected: [
      'ns1       a     42                 true    line1...',
      'default   bb    1.5                false   esc^[[31mred...',
      'default   c     1.2345675e+06              tab   here',
      '          d     map[a:[1 x] k:1]   ',
      'other     e     1e-05              x       extra',
      'zz        f     -3                 y       form...',
      'default',
      '',
    ].join('\n'),
  },
  {
    title: 'ragged rows and remembered widths',
    resource: 'services',
    flags: [],
    table: ragged,
    expected: ['A            B              C', 'aaaaaaaaaa   bbbbbbbbbbbb   c', 'only', 'd            e              f', 'g            h', 'i            j              k', ''].join('\n'),
  },
]

/** The printTable options a flag list stands for. */
export function optionsFor(c: PrinterCase): PrintTableOptions {
  return {
    wide: c.flags.includes('-owide'),
    noHeaders: c.flags.includes('--no-headers'),
    withNamespace: c.flags.includes('-A') && c.resource !== 'nodes',
    showLabels: c.flags.includes('--show-labels'),
    labelColumns: c.flags.filter((f) => f.startsWith('-L')).map((f) => f.slice(2)),
  }
}
