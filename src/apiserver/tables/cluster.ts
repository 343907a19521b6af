// Table printers for the cluster-level groups: coordination (Lease), scheduling (PriorityClass), node
// (RuntimeClass), certificates, flowcontrol, internal.apiserver, storagemigration and resource (DRA).
import {humanDuration} from '../../print/age.js'
import {compareGoStrings} from '../../api/names.js'
import {
  age,
  ageColumn,
  column,
  int,
  listWithMoreString,
  meta,
  nameColumn,
  nameOf,
  obj,
  objs,
  spec,
  status,
  str,
} from './helpers.js'
import type {Cell, KindPrinter, Obj} from './types.js'

const leasePrinter: KindPrinter = {
  columns: [nameColumn(), column('Holder', 'string'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), str(spec(o)['holderIdentity']), age(o, ctx.now)]}),
}

const leaseCandidatePrinter: KindPrinter = {
  columns: [nameColumn(), column('LeaseName', 'string'), column('BinaryVersion', 'string'), column('EmulationVersion', 'string'), ageColumn()],
  row(o, ctx) {
    const sp = spec(o)
    return {cells: [nameOf(o), str(sp['leaseName']), str(sp['binaryVersion']), str(sp['emulationVersion']), age(o, ctx.now)]}
  },
}

const priorityClassPrinter: KindPrinter = {
  // PREEMPTIONPOLICY has priority 0 upstream, so it shows even without -o wide.
  columns: [nameColumn(), column('Value', 'integer'), column('Global-Default', 'boolean'), ageColumn(), column('PreemptionPolicy', 'string')],
  row: (o, ctx) => ({cells: [nameOf(o), int(o['value']), o['globalDefault'] === true, age(o, ctx.now), str(o['preemptionPolicy'])]}),
}

const runtimeClassPrinter: KindPrinter = {
  columns: [nameColumn(), column('Handler', 'string'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), str(o['handler']), age(o, ctx.now)]}),
}

/** extractCSRStatus: Denied over Approved over Pending, then `,Failed` and `,Issued`. */
function csrCondition(o: Obj): string {
  let approved = false
  let denied = false
  let failed = false
  for (const c of objs(status(o)['conditions'])) {
    if (c['type'] === 'Approved') approved = true
    else if (c['type'] === 'Denied') denied = true
    else if (c['type'] === 'Failed') failed = true
  }
  let text = denied ? 'Denied' : approved ? 'Approved' : 'Pending'
  if (failed) text += ',Failed'
  if (str(status(o)['certificate']) !== '') text += ',Issued'
  return text
}

const certificateSigningRequestPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    ageColumn(),
    column('SignerName', 'string'),
    column('Requestor', 'string'),
    column('RequestedDuration', 'string'),
    column('Condition', 'string'),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const signer = str(sp['signerName']) || '<none>'
    const seconds = sp['expirationSeconds']
    const requested = typeof seconds === 'number' ? humanDuration(int(seconds) * 1000) : '<none>'
    return {cells: [nameOf(o), age(o, ctx.now), signer, str(sp['username']), requested, csrCondition(o)]}
  },
}

const clusterTrustBundlePrinter: KindPrinter = {
  columns: [nameColumn(), column('SignerName', 'string')],
  row: (o) => ({cells: [nameOf(o), str(spec(o)['signerName']) || '<none>']}),
}

// ---------------------------------------------------------------------------------------------
// API Priority and Fairness

const flowSchemaPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('PriorityLevel', 'string'),
    column('MatchingPrecedence', 'string'),
    column('DistinguisherMethod', 'string'),
    ageColumn(),
    column('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  row(o, ctx) {
    const sp = spec(o)
    const dm = sp['distinguisherMethod']
    const distinguisher = dm === undefined || dm === null ? '<none>' : str(obj(dm)['type'])
    const dangling = objs(status(o)['conditions']).find((c) => c['type'] === 'Dangling')
    return {
      cells: [
        nameOf(o),
        str(obj(sp['priorityLevelConfiguration'])['name']),
        int(sp['matchingPrecedence']),
        distinguisher,
        age(o, ctx.now),
        dangling ? str(dangling['status']) : '?',
      ],
    }
  },
  // FlowSchemaSequence: by precedence, then name, as the server evaluates them.
  sortList: (items) =>
    [...items].sort((a, b) => {
      const pa = int(spec(a)['matchingPrecedence'])
      const pb = int(spec(b)['matchingPrecedence'])
      return pa !== pb ? pa - pb : compareGoStrings(nameOf(a), nameOf(b))
    }),
}

function withDefault(v: unknown, fallback: number): number {
  return typeof v === 'number' ? int(v) : fallback
}

const priorityLevelConfigurationPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string'),
    column('NominalConcurrencyShares', 'string'),
    column('Queues', 'string'),
    column('HandSize', 'string'),
    column('QueueLengthLimit', 'string'),
    ageColumn(),
  ],
  row(o, ctx) {
    const sp = spec(o)
    let ncs: Cell = '<none>'
    let queues: Cell = '<none>'
    let handSize: Cell = '<none>'
    let queueLengthLimit: Cell = '<none>'
    const limited = sp['limited']
    if (limited !== undefined && limited !== null) {
      // The v1 defaults (30 shares; 64 queues, hand size 8, 50 per queue) apply to stored objects.
      ncs = withDefault(obj(limited)['nominalConcurrencyShares'], 30)
      const queuing = obj(obj(limited)['limitResponse'])['queuing']
      if (queuing !== undefined && queuing !== null) {
        queues = withDefault(obj(queuing)['queues'], 64)
        handSize = withDefault(obj(queuing)['handSize'], 8)
        queueLengthLimit = withDefault(obj(queuing)['queueLengthLimit'], 50)
      }
    }
    return {cells: [nameOf(o), str(sp['type']), ncs, queues, handSize, queueLengthLimit, age(o, ctx.now)]}
  },
}

// ---------------------------------------------------------------------------------------------
// Internal API server bookkeeping

const storageVersionPrinter: KindPrinter = {
  columns: [nameColumn(), column('CommonEncodingVersion', 'string'), column('StorageVersions', 'string'), ageColumn()],
  row(o, ctx) {
    const st = status(o)
    const common = typeof st['commonEncodingVersion'] === 'string' ? st['commonEncodingVersion'] : '<unset>'
    const all = objs(st['storageVersions'])
    const max = 3
    const list = all.slice(0, max).map((sv) => `${str(sv['apiServerID'])}=${str(sv['encodingVersion'])}`)
    return {cells: [nameOf(o), common, listWithMoreString(list, all.length > max, all.length, max), age(o, ctx.now)]}
  },
}

const storageVersionMigrationPrinter: KindPrinter = {
  columns: [column('Name', 'string'), column('Resource', 'string', 'Fully qualified resource to migrate')],
  row(o) {
    const r = obj(spec(o)['resource'])
    return {cells: [nameOf(o), `${str(r['resource'])}.${str(r['version'])}.${str(r['group'])}`]}
  },
}

// ---------------------------------------------------------------------------------------------
// Dynamic resource allocation

/** resourceClaimState: deleted / pending / allocated, reserved. */
function resourceClaimState(o: Obj): string {
  const states: string[] = []
  const deleting = meta(o)['deletionTimestamp'] !== undefined && meta(o)['deletionTimestamp'] !== null
  const st = status(o)
  if (deleting) states.push('deleted')
  if (st['allocation'] === undefined || st['allocation'] === null) {
    if (!deleting) states.push('pending')
  } else {
    states.push('allocated')
    if (objs(st['reservedFor']).length > 0) states.push('reserved')
  }
  return states.join(',')
}

const nameAgePrinter: KindPrinter = {
  columns: [nameColumn(), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), age(o, ctx.now)]}),
}

const resourceClaimPrinter: KindPrinter = {
  columns: [nameColumn(), column('State', 'string', 'A summary of the current state (allocated, pending, reserved, etc.).'), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), resourceClaimState(o), age(o, ctx.now)]}),
}

const resourceSlicePrinter: KindPrinter = {
  columns: [nameColumn(), column('Node', 'string'), column('Driver', 'string'), column('Pool', 'string'), ageColumn()],
  row(o, ctx) {
    const sp = spec(o)
    return {cells: [nameOf(o), str(sp['nodeName']), str(sp['driver']), str(obj(sp['pool'])['name']), age(o, ctx.now)]}
  },
}

export const COORDINATION_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  Lease: leasePrinter,
  LeaseCandidate: leaseCandidatePrinter,
}
export const SCHEDULING_PRINTERS: Readonly<Record<string, KindPrinter>> = {PriorityClass: priorityClassPrinter}
export const NODE_PRINTERS: Readonly<Record<string, KindPrinter>> = {RuntimeClass: runtimeClassPrinter}
export const CERTIFICATES_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  CertificateSigningRequest: certificateSigningRequestPrinter,
  ClusterTrustBundle: clusterTrustBundlePrinter,
}
export const FLOWCONTROL_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  FlowSchema: flowSchemaPrinter,
  PriorityLevelConfiguration: priorityLevelConfigurationPrinter,
}
export const INTERNAL_APISERVER_PRINTERS: Readonly<Record<string, KindPrinter>> = {StorageVersion: storageVersionPrinter}
export const STORAGE_MIGRATION_PRINTERS: Readonly<Record<string, KindPrinter>> = {StorageVersionMigration: storageVersionMigrationPrinter}
export const RESOURCE_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  DeviceClass: nameAgePrinter,
  ResourceClaim: resourceClaimPrinter,
  ResourceClaimTemplate: nameAgePrinter,
  ResourceSlice: resourceSlicePrinter,
}
