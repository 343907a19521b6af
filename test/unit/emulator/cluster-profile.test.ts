// Cluster profiles: parsing with file:line errors, and the Node objects a profile registers.
import {strict as assert} from 'node:assert'
import {clusterProfileWithWorkers, loadClusterProfile, parseClusterProfile, podCIDR, profileNodes, ClusterProfileError} from '../../../src/emulator/cluster-profile.js'
import {newCluster, type Any} from '../apiserver/helpers.js'

describe('cluster profiles', () => {
  it('the default profile: a tainted control-plane node and three workers over three zones', () => {
    const nodes = profileNodes(loadClusterProfile(), {cpu: '8', memory: '16Gi', pods: '110'}) as Any[]
    assert.deepEqual(nodes.map((n) => n.metadata.name), ['control-plane', 'node-1', 'node-2', 'node-3'])
    const [cp, n1, , n3] = nodes
    assert.deepEqual(cp.spec.taints, [{key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule'}])
    assert.equal(cp.metadata.labels['node-role.kubernetes.io/control-plane'], '')
    assert.equal(n1.spec.taints, undefined)
    assert.equal(n1.metadata.labels['kubernetes.io/hostname'], 'node-1')
    assert.equal(n1.metadata.labels['topology.kubernetes.io/zone'], 'zone-a')
    assert.equal(n3.metadata.labels['topology.kubernetes.io/zone'], 'zone-c')
    assert.equal(n3.metadata.labels['topology.kubernetes.io/region'], 'region-1')
    assert.equal(n1.spec.podCIDR, '10.244.1.0/24')
    assert.deepEqual(n1.status.capacity, {cpu: '4', memory: '8Gi', pods: '110'})
    assert.deepEqual(n1.status.addresses, [{type: 'InternalIP', address: '172.18.0.3'}, {type: 'Hostname', address: 'node-1'}])
  })

  it('pod CIDRs stay unique for thousands of nodes', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 5000; i++) seen.add(podCIDR(i))
    assert.equal(seen.size, 5000)
    assert.equal(podCIDR(11), '10.244.11.0/24')
    assert.equal(podCIDR(256), '10.245.0.0/24')
  })

  it('--nodes N keeps the control plane and resizes the workers', () => {
    const p = clusterProfileWithWorkers(10)
    assert.deepEqual(p.nodePools.map((x) => x.count), [1, 10])
  })

  it('reports every problem with its file and line', () => {
    const text = 'nodePools:\n  - name: Bad_Name\n    count: -1\n    capacity: {cpu: lots}\n    taints:\n      - {key: a, effect: Sometimes}\n    colour: red\n'
    assert.throws(() => parseClusterProfile(text, 'p.yaml'), (e: Error) => {
      assert.ok(e instanceof ClusterProfileError)
      assert.equal(e.message, [
        'p.yaml:7: nodePools[0].colour: unknown field',
        'p.yaml:2: nodePools[0].name: required: a DNS label of at most 50 characters',
        'p.yaml:3: nodePools[0].count: must be an integer from 0 to 100000',
        'p.yaml:4: nodePools[0].capacity.cpu: "lots" is not a quantity',
        'p.yaml:6: nodePools[0].taints[0].effect: must be one of NoSchedule, PreferNoSchedule, NoExecute',
      ].join('\n'))
      return true
    })
    assert.throws(() => parseClusterProfile('nodePools: [\n', 'q.yaml'), /^Error: q.yaml:\d+: /)
  })

  it('a new control plane registers the profile nodes once; the kubelets complete their status', () => {
    const c = newCluster(7, {cluster: loadClusterProfile()})
    c.cp.settle()
    const nodes: Any[] = c.api.ok(c.api.list('nodes')).items
    assert.equal(nodes.length, 4)
    for (const n of nodes) {
      assert.equal(n.status.conditions.find((x: Any) => x.type === 'Ready').status, 'True')
      assert.equal(n.status.allocatable.cpu, '4')
      assert.match(n.status.nodeInfo.kubeletVersion, /^v1\.36\./)
    }
  })
})
