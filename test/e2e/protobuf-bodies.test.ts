// kubectl 1.32+ sends the objects of `kubectl create <generator>` as Kubernetes protobuf. Each
// generator runs twice against the emulator: once for real (protobuf body) in namespace `pb`, once as
// `--dry-run=client -o json` piped to `kubectl create -f -` (a JSON body) in namespace `js`. The two
// stored objects must be the same, field for field, managedFields included: the protobuf decoder
// produces exactly what the JSON path receives.
import {strict as assert} from 'node:assert'
import {EmulatorSandbox, KUBECTL_NEWEST, kubectlAvailable} from '../helpers/emulator.js'

type Obj = Record<string, unknown>

/** Generators and their arguments (the name comes first); cluster-scoped ones are created once per side with a suffix. */
const NAMESPACED: Array<[string, string[]]> = [
  ['deployment', ['create', 'deployment', 'd0', '--image=nginx:1.27', '--replicas=0', '--port=8080']],
  ['deployment', ['create', 'deployment', 'd2', '--image=nginx:1.27', '--image=busybox:1.36', '--replicas=2']],
  ['deployment', ['create', 'deployment', 'd3', '--image=busybox:1.36', '--', 'sleep', '3600']],
  ['configmap', ['create', 'configmap', 'c1', '--from-literal=a=b', '--from-literal=empty=']],
  ['secret', ['create', 'secret', 'generic', 's1', '--from-literal=k=v', '--type=Opaque']],
  ['secret', ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p']],
  ['service', ['create', 'service', 'clusterip', 'svc-c', '--tcp=80:8080', '--tcp=443:8443']],
  ['service', ['create', 'service', 'clusterip', 'svc-headless', '--clusterip=None']],
  ['service', ['create', 'service', 'externalname', 'svc-e', '--external-name=db.example.com']],
  ['job', ['create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi']],
  ['cronjob', ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure']],
  ['serviceaccount', ['create', 'serviceaccount', 'sa1']],
  ['role', ['create', 'role', 'r1', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=x']],
  ['rolebinding', ['create', 'rolebinding', 'rb1', '--clusterrole=view', '--user=alice', '--group=dev', '--serviceaccount=default:sa1']],
  ['resourcequota', ['create', 'quota', 'q1', '--hard=cpu=2,memory=1Gi,pods=10', '--scopes=NotTerminating']],
  ['poddisruptionbudget', ['create', 'poddisruptionbudget', 'pdb1', '--selector=app=web', '--min-available=50%']],
  ['poddisruptionbudget', ['create', 'poddisruptionbudget', 'pdb2', '--selector=app=web', '--max-unavailable=1']],
  ['ingress', ['create', 'ingress', 'ing', '--rule=foo.example.com/bar*=svc-c:80,tls=cert', '--class=nginx']],
]
const CLUSTER: Array<[string, string[]]> = [
  ['priorityclass', ['create', 'priorityclass', 'pc', '--value=1000', '--description=high', '--preemption-policy=Never']],
  ['clusterrole', ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/logs/*']],
  ['clusterrolebinding', ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--user=bob']],
]

/** What legitimately differs between two creations: identity (and labels made from it), times, allocated addresses. */
function comparable(o: Obj, ns: string, nameSuffix = ''): Obj {
  const uid = String((o.metadata as Obj).uid)
  const c = JSON.parse(JSON.stringify(o).replaceAll(`${ns}:`, 'NS:').replaceAll(uid, 'UID')) as Obj
  const md = c.metadata as Obj
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'namespace', 'generation']) delete md[k]
  if (nameSuffix) md.name = String(md.name).slice(0, -nameSuffix.length)
  for (const m of (md.managedFields ?? []) as Obj[]) delete m.time
  delete c.status
  const spec = c.spec as Obj | undefined
  if (spec && c.kind === 'Service') {
    delete spec.clusterIP
    delete spec.clusterIPs
  }
  if (c.kind === 'ClusterRoleBinding') ((c.roleRef as Obj).name = String((c.roleRef as Obj).name).slice(0, -nameSuffix.length))
  return c
}

describe('protobuf request bodies (kubectl 1.33 create generators)', function () {
  this.timeout(120000)
  let emu: EmulatorSandbox
  const k = (args: string[], input?: string) => emu.kubectl(KUBECTL_NEWEST, args, input === undefined ? {} : {input})
  const ok = (args: string[], input?: string) => {
    const r = k(args, input)
    assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}`)
    return r.stdout
  }

  before(function () {
    if (!kubectlAvailable(KUBECTL_NEWEST)) this.skip()
    emu = new EmulatorSandbox()
    emu.start(['--nodes', '1'])
    ok(['create', 'namespace', 'pb'])
    ok(['create', 'namespace', 'js'])
  })
  after(() => emu?.dispose())

  for (const [resource, args] of NAMESPACED) {
    it(args.slice(1).join(' '), () => {
      const name = args[args[1] === 'secret' || args[1] === 'service' ? 3 : 2]!
      const jsonDoc = ok(['-n', 'js', '--dry-run=client', '-o', 'json', ...args])
      ok(['-n', 'pb', ...args])
      ok(['create', '-n', 'js', '-f', '-'], jsonDoc)
      const viaProto = JSON.parse(ok(['get', resource, name, '-n', 'pb', '-o', 'json'])) as Obj
      const viaJson = JSON.parse(ok(['get', resource, name, '-n', 'js', '-o', 'json'])) as Obj
      assert.deepEqual(comparable(viaProto, 'pb'), comparable(viaJson, 'js'))
    })
  }

  for (const [resource, args] of CLUSTER) {
    it(`${args.slice(1).join(' ')} (cluster-scoped)`, () => {
      const name = args[2]!
      const suffix = (side: string) => args.map((a, i) => (i === 2 ? `${a}-${side}` : a === '--clusterrole=cr' ? `--clusterrole=cr-${side}` : a))
      ok(suffix('pb'))
      ok(['create', '-f', '-'], ok([...suffix('js'), '--dry-run=client', '-o', 'json']))
      const viaProto = JSON.parse(ok(['get', resource, `${name}-pb`, '-o', 'json'])) as Obj
      const viaJson = JSON.parse(ok(['get', resource, `${name}-js`, '-o', 'json'])) as Obj
      assert.deepEqual(comparable(viaProto, 'pb', '-pb'), comparable(viaJson, 'js', '-js'))
    })
  }

  it('a zero in a pointer field survives (replicas 0) and an unset one is defaulted', () => {
    const d = JSON.parse(ok(['get', 'deploy', 'd0', '-n', 'pb', '-o', 'json'])) as {spec: Obj}
    assert.equal(d.spec.replicas, 0)
    assert.equal(d.spec.revisionHistoryLimit, 10)
    const cm = JSON.parse(ok(['get', 'cm', 'c1', '-n', 'pb', '-o', 'json'])) as {data: Obj}
    assert.deepEqual(cm.data, {a: 'b', empty: ''})
  })

  it('a pod deleted with --grace-period=0 (DeleteOptions as protobuf) goes at once', () => {
    ok(['run', 'p0', '--image=nginx'])
    assert.equal(ok(['delete', 'pod', 'p0', '--grace-period=0', '--force', '--wait=false']).includes('pod "p0" force deleted'), true)
    assert.equal(k(['get', 'pod', 'p0']).status, 1)
  })
})
