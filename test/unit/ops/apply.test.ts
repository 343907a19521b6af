// apply on an in-memory embedded cluster: validation follows the release the cluster serves, and
// nothing is written when any input is wrong.
import {strict as assert} from 'node:assert'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {LocalCluster} from '../../../src/client/local.js'
import {applyManifests, type ApplyOutcome} from '../../../src/ops/apply.js'

const FLOWSCHEMA = 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: x}\nspec:\n  priorityLevelConfiguration: {name: global-default}\n'

describe('apply operation', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kube2-apply-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  async function apply(kubernetesVersion: string, text: string): Promise<{outcomes?: ApplyOutcome[]; error?: string; cluster: LocalCluster}> {
    const file = join(dir, 'in.yaml')
    writeFileSync(file, text)
    const cluster = LocalCluster.open({stateDir: ':memory:', kubernetesVersion, seed: 1})
    try {
      return {outcomes: await applyManifests(cluster, {inputs: [file], kubernetesVersion: await cluster.kubernetesVersion()}, () => {}), cluster}
    } catch (e) {
      return {error: (e as Error).message, cluster}
    }
  }

  it('validates against the release the cluster serves', async () => {
    const old = await apply('1.31', FLOWSCHEMA)
    assert.equal(old.error, undefined)
    assert.deepEqual(old.outcomes, [{type: 'flowschema.flowcontrol.apiserver.k8s.io', name: 'x', action: 'created'}])
    const recent = await apply('1.32', FLOWSCHEMA)
    assert.match(recent.error ?? '', /was removed in Kubernetes 1.32/)
  })

  it('writes nothing when a later input is invalid', async () => {
    const {error, cluster} = await apply('1.36', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec: {ports: [{port: 0}]}\n')
    assert.match(error ?? '', /spec.ports\[0\].port: Invalid value: 0/)
    const res = await cluster.request({verb: 'get', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'ok'})
    assert.equal(res.status, 404)
  })
})
