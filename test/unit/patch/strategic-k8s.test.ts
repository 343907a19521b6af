// Strategic merge patch on Kubernetes objects with the real patch metadata (merge keys, retainKeys,
// primitive merge lists), as kubectl apply and kubectl patch exercise it.
import {strict as assert} from 'node:assert'
import {
  MergeConflictError,
  PatchSchema,
  PreconditionFailedError,
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  requireKeyUnchanged,
  requireMetadataKeyUnchanged,
  strategicMergePatch,
} from '../../../src/patch/index.js'
import {K8S_META} from './fixtures.js'

const DEPLOYMENT = new PatchSchema(K8S_META, 'io.k8s.api.apps.v1.Deployment')
const POD = new PatchSchema(K8S_META, 'io.k8s.api.core.v1.Pod')
const SERVICE = new PatchSchema(K8S_META, 'io.k8s.api.core.v1.Service')

function deployment(podSpec: object, extra: {spec?: object; metadata?: object} = {}): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'web', labels: {app: 'web'}, ...extra.metadata},
    spec: {
      replicas: 2,
      selector: {matchLabels: {app: 'web'}},
      template: {metadata: {labels: {app: 'web'}}, spec: podSpec},
      ...extra.spec,
    },
  }
}

const podSpecPatch = (patch: object): object => ({spec: {template: {spec: patch}}})

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

describe('strategic merge patch: Kubernetes objects', () => {
  describe('PatchSchema', () => {
    it('looks up patch strategies and merge keys', () => {
      const podSpec = new PatchSchema(K8S_META, 'io.k8s.api.core.v1.PodSpec')
      assert.deepStrictEqual(podSpec.strategy('containers'), {retainKeys: false, strategy: 'merge'})
      assert.equal(podSpec.mergeKey('containers'), 'name')
      assert.deepStrictEqual(podSpec.strategy('volumes'), {retainKeys: true, strategy: 'merge'})
      assert.deepStrictEqual(podSpec.strategy('tolerations'), {retainKeys: false, strategy: ''})
      assert.deepStrictEqual(podSpec.strategy('hostname'), {retainKeys: false, strategy: ''})
      assert.equal(podSpec.sub('containers').typeName, 'io.k8s.api.core.v1.Container')
      assert.equal(podSpec.sub('containers').mergeKey('ports'), 'containerPort')
      assert.equal(podSpec.sub('hostname').known, false)
    })
    it('gives map values the map type and no strategies for the keys themselves', () => {
      const resources = new PatchSchema(K8S_META, 'io.k8s.api.core.v1.ResourceRequirements')
      const limits = resources.sub('limits')
      assert.deepStrictEqual(limits.field('cpu'), {})
      assert.equal(limits.sub('cpu').typeName, 'io.k8s.apimachinery.pkg.api.resource.Quantity')
    })
    it('finds built-in kinds by apiVersion and kind', () => {
      assert.equal(PatchSchema.forKind(K8S_META, 'apps/v1', 'Deployment').typeName, 'io.k8s.api.apps.v1.Deployment')
      assert.equal(PatchSchema.forKind(K8S_META, 'v1', 'Pod').typeName, 'io.k8s.api.core.v1.Pod')
      assert.equal(PatchSchema.forKind(K8S_META, 'v1', 'ConfigMap').known, true)
      assert.equal(PatchSchema.forKind(K8S_META, 'apps.example.com/v1', 'Deployment').typeName, undefined)
      assert.equal(PatchSchema.forKind(K8S_META, 'v1', 'Widget').known, false)
    })
    it('rejects strategies upstream cannot split', () => {
      const schema = new PatchSchema({t: {f: {strategy: ['merge', 'replace']}}}, 't')
      assert.throws(() => schema.strategy('f'), {message: 'unexpected patch strategy: [merge replace]'})
    })
  })

  describe('two-way patches', () => {
    const app = {name: 'app', image: 'nginx:1.25', ports: [{containerPort: 80, protocol: 'TCP'}]}

    it('changes a container image by merge key', () => {
      const patch = createTwoWayMergePatch(deployment({containers: [app]}), deployment({containers: [{...app, image: 'nginx:1.26'}]}), DEPLOYMENT)
      assert.deepStrictEqual(patch, podSpecPatch({'$setElementOrder/containers': [{name: 'app'}], containers: [{name: 'app', image: 'nginx:1.26'}]}))
    })

    it('adds a sidecar in front and keeps the order', () => {
      const sidecar = {name: 'proxy', image: 'envoy'}
      const modified = deployment({containers: [sidecar, app]})
      const patch = createTwoWayMergePatch(deployment({containers: [app]}), modified, DEPLOYMENT)
      assert.deepStrictEqual(patch, podSpecPatch({'$setElementOrder/containers': [{name: 'proxy'}, {name: 'app'}], containers: [sidecar]}))
      assert.deepStrictEqual(strategicMergePatch(deployment({containers: [app]}), patch, DEPLOYMENT), modified)
    })

    it('deletes a container with a $patch: delete directive', () => {
      const sidecar = {name: 'proxy', image: 'envoy'}
      const patch = createTwoWayMergePatch(deployment({containers: [app, sidecar]}), deployment({containers: [app]}), DEPLOYMENT)
      assert.deepStrictEqual(patch, podSpecPatch({'$setElementOrder/containers': [{name: 'app'}], containers: [{name: 'proxy', $patch: 'delete'}]}))
    })

    it('changes and removes env vars inside a container', () => {
      const before = deployment({containers: [{name: 'app', env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}]}]})
      const after = deployment({containers: [{name: 'app', env: [{name: 'A', value: '3'}]}]})
      assert.deepStrictEqual(
        createTwoWayMergePatch(before, after, DEPLOYMENT),
        podSpecPatch({
          '$setElementOrder/containers': [{name: 'app'}],
          containers: [{name: 'app', '$setElementOrder/env': [{name: 'A'}], env: [{name: 'A', value: '3'}, {name: 'B', $patch: 'delete'}]}],
        }),
      )
    })

    it('merges container ports by containerPort', () => {
      const before = deployment({containers: [app]})
      const after = deployment({containers: [{...app, ports: [...app.ports, {containerPort: 443, protocol: 'TCP'}]}]})
      assert.deepStrictEqual(
        createTwoWayMergePatch(before, after, DEPLOYMENT),
        podSpecPatch({
          '$setElementOrder/containers': [{name: 'app'}],
          containers: [
            {
              name: 'app',
              '$setElementOrder/ports': [{containerPort: 80}, {containerPort: 443}],
              ports: [{containerPort: 443, protocol: 'TCP'}],
            },
          ],
        }),
      )
    })

    it('replaces atomic lists (args, tolerations) whole', () => {
      const before = {spec: {containers: [{name: 'c', args: ['a', 'b']}], tolerations: [{key: 'k', operator: 'Exists'}]}}
      const after = {spec: {containers: [{name: 'c', args: ['b']}], tolerations: [{key: 'k', operator: 'Exists'}, {key: 'j'}]}}
      assert.deepStrictEqual(createTwoWayMergePatch(before, after, POD), {
        spec: {
          '$setElementOrder/containers': [{name: 'c'}],
          containers: [{name: 'c', args: ['b']}],
          tolerations: [{key: 'k', operator: 'Exists'}, {key: 'j'}],
        },
      })
    })

    it('sends $retainKeys when the deployment strategy changes type', () => {
      const before = deployment({containers: [app]}, {spec: {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}}})
      const after = deployment({containers: [app]}, {spec: {strategy: {type: 'Recreate'}}})
      const patch = createTwoWayMergePatch(before, after, DEPLOYMENT)
      assert.deepStrictEqual(patch, {spec: {strategy: {$retainKeys: ['type'], type: 'Recreate', rollingUpdate: null}}})
      assert.deepStrictEqual(strategicMergePatch(before, patch, DEPLOYMENT), after)
    })

    it('sends $retainKeys when a volume changes source', () => {
      const before = {spec: {volumes: [{name: 'config', emptyDir: {}}, {name: 'data', emptyDir: {}}]}}
      const after = {spec: {volumes: [{name: 'config', configMap: {name: 'cm'}}, {name: 'data', emptyDir: {}}]}}
      const patch = createTwoWayMergePatch(before, after, POD)
      assert.deepStrictEqual(patch, {
        spec: {
          '$setElementOrder/volumes': [{name: 'config'}, {name: 'data'}],
          volumes: [{$retainKeys: ['configMap', 'name'], configMap: {name: 'cm'}, emptyDir: null, name: 'config'}],
        },
      })
      assert.deepStrictEqual(strategicMergePatch(before, patch, POD), after)
    })

    it('uses $deleteFromPrimitiveList for finalizers', () => {
      const before = {metadata: {name: 'p', finalizers: ['a', 'b']}}
      const after = {metadata: {name: 'p', finalizers: ['a', 'c']}}
      const patch = createTwoWayMergePatch(before, after, POD)
      assert.deepStrictEqual(patch, {
        metadata: {'$setElementOrder/finalizers': ['a', 'c'], '$deleteFromPrimitiveList/finalizers': ['b'], finalizers: ['c']},
      })
      assert.deepStrictEqual(strategicMergePatch(before, patch, POD), after)
    })

    it('sends the order of an unsorted primitive merge list even when unchanged, as upstream does', () => {
      // Upstream sorts the original list in place before comparing it with the modified one.
      const obj = {metadata: {name: 'p', finalizers: ['b', 'a']}}
      assert.deepStrictEqual(createTwoWayMergePatch(obj, obj, POD), {metadata: {'$setElementOrder/finalizers': ['b', 'a']}})
      assert.deepStrictEqual(createTwoWayMergePatch({metadata: {finalizers: ['a', 'b']}}, {metadata: {finalizers: ['a', 'b']}}, POD), {})
    })

    it('merges owner references by uid', () => {
      const owner = (uid: string) => ({apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid})
      const before = {metadata: {ownerReferences: [owner('1')]}}
      const after = {metadata: {ownerReferences: [owner('1'), owner('2')]}}
      assert.deepStrictEqual(createTwoWayMergePatch(before, after, POD), {
        metadata: {'$setElementOrder/ownerReferences': [{uid: '1'}, {uid: '2'}], ownerReferences: [owner('2')]},
      })
    })

    it('merges labels and deletes them with null', () => {
      const before = {metadata: {labels: {app: 'web', tier: 'fe'}}}
      const after = {metadata: {labels: {app: 'web', env: 'prod'}}}
      assert.deepStrictEqual(createTwoWayMergePatch(before, after, POD), {metadata: {labels: {env: 'prod', tier: null}}})
    })

    it('merges service ports by port, in the modified order', () => {
      const before = {spec: {ports: [{name: 'http', port: 80, targetPort: 8080}]}}
      const after = {spec: {ports: [{name: 'http', port: 80, targetPort: 9090}, {name: 'https', port: 443, targetPort: 8443}]}}
      const patch = createTwoWayMergePatch(before, after, SERVICE)
      assert.deepStrictEqual(patch, {
        spec: {
          '$setElementOrder/ports': [{port: 80}, {port: 443}],
          ports: [{port: 80, targetPort: 9090}, {name: 'https', port: 443, targetPort: 8443}],
        },
      })
      assert.deepStrictEqual(strategicMergePatch(before, patch, SERVICE), after)
    })

    it('checks preconditions', () => {
      const pre = [requireKeyUnchanged('kind'), requireMetadataKeyUnchanged('name')]
      assert.throws(() => createTwoWayMergePatch({kind: 'Pod'}, {kind: 'Service'}, POD, {preconditions: pre}), PreconditionFailedError)
      assert.throws(() => createTwoWayMergePatch({metadata: {name: 'a'}}, {metadata: {name: 'b'}}, POD, {preconditions: pre}), {
        message: 'precondition failed for: map[metadata:map[name:b]]',
      })
      assert.deepStrictEqual(createTwoWayMergePatch({metadata: {name: 'a'}}, {metadata: {name: 'a', labels: {x: 'y'}}}, POD, {preconditions: pre}), {
        metadata: {labels: {x: 'y'}},
      })
    })
  })

  describe('round trips: apply(original, twoWay(original, modified)) == modified', () => {
    const base = deployment({
      containers: [
        {name: 'app', image: 'app:1', env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}], ports: [{containerPort: 80}]},
        {name: 'proxy', image: 'envoy:1'},
      ],
      volumes: [{name: 'config', configMap: {name: 'cm'}}],
    })
    const variants: Array<[string, object]> = [
      ['unchanged', base],
      ['reordered containers', deployment({containers: [{name: 'proxy', image: 'envoy:1'}, {name: 'app', image: 'app:1', env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}], ports: [{containerPort: 80}]}], volumes: [{name: 'config', configMap: {name: 'cm'}}]})],
      ['reordered env, one changed', deployment({containers: [{name: 'app', image: 'app:1', env: [{name: 'B', value: '2'}, {name: 'A', value: 'x'}], ports: [{containerPort: 80}]}, {name: 'proxy', image: 'envoy:1'}], volumes: [{name: 'config', configMap: {name: 'cm'}}]})],
      ['container replaced by another name', deployment({containers: [{name: 'app', image: 'app:1', env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}], ports: [{containerPort: 80}]}, {name: 'sidecar', image: 'log:1'}], volumes: [{name: 'config', configMap: {name: 'cm'}}]})],
      ['volume source swapped', deployment({containers: [{name: 'app', image: 'app:1', env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}], ports: [{containerPort: 80}]}, {name: 'proxy', image: 'envoy:1'}], volumes: [{name: 'config', secret: {secretName: 's'}}, {name: 'tmp', emptyDir: {}}]})],
      ['everything removed', {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}}],
      ['labels and replicas', deployment({containers: []}, {metadata: {labels: {app: 'web', team: 'a'}}, spec: {replicas: 5}})],
    ]
    for (const [name, modified] of variants) {
      it(name, () => {
        const patch = createTwoWayMergePatch(base, modified, DEPLOYMENT)
        assert.deepStrictEqual(strategicMergePatch(base, patch, DEPLOYMENT), modified)
        const back = createTwoWayMergePatch(modified, base, DEPLOYMENT)
        assert.deepStrictEqual(strategicMergePatch(modified, back, DEPLOYMENT), base)
      })
    }
  })

  describe('three-way patches (kubectl apply)', () => {
    const app = {name: 'app', image: 'app:1'}

    it('leaves fields set by others alone (replicas managed by an autoscaler)', () => {
      const applied = deployment({containers: [app]}, {spec: {replicas: undefined}})
      const lastApplied = JSON.parse(JSON.stringify(applied)) as object
      const live = deployment({containers: [{...app, imagePullPolicy: 'IfNotPresent'}]}, {spec: {replicas: 7}})
      assert.deepStrictEqual(createThreeWayMergePatch(lastApplied, lastApplied, live, DEPLOYMENT), {})
    })

    it('deletes a field that was dropped from the configuration', () => {
      const lastApplied = deployment({containers: [app]}, {spec: {replicas: 3}})
      const modified = deployment({containers: [app]})
      delete (modified as {spec: {replicas?: number}}).spec.replicas
      const live = deployment({containers: [app]}, {spec: {replicas: 3, revisionHistoryLimit: 10}})
      assert.deepStrictEqual(createThreeWayMergePatch(lastApplied, modified, live, DEPLOYMENT), {spec: {replicas: null}})
    })

    it('clears a defaulted rollingUpdate when the strategy becomes Recreate', () => {
      const lastApplied = deployment({containers: [app]})
      const modified = deployment({containers: [app]}, {spec: {strategy: {type: 'Recreate'}}})
      const live = deployment({containers: [app]}, {spec: {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}}}})
      const patch = createThreeWayMergePatch(lastApplied, modified, live, DEPLOYMENT)
      assert.deepStrictEqual(patch, {spec: {strategy: {$retainKeys: ['type'], type: 'Recreate'}}})
      const result = strategicMergePatch(live, patch, DEPLOYMENT) as {spec: {strategy: object}}
      assert.deepStrictEqual(result.spec.strategy, {type: 'Recreate'})
    })

    it('swaps a volume source and clears the defaulted fields of the old one', () => {
      const lastApplied = {spec: {volumes: [{name: 'config', configMap: {name: 'cm'}}]}}
      const modified = {spec: {volumes: [{name: 'config', secret: {secretName: 's'}}]}}
      const live = {spec: {volumes: [{name: 'config', configMap: {name: 'cm', defaultMode: 420}}]}}
      const patch = createThreeWayMergePatch(lastApplied, modified, live, POD)
      assert.deepStrictEqual(patch, {
        spec: {
          '$setElementOrder/volumes': [{name: 'config'}],
          volumes: [{$retainKeys: ['name', 'secret'], configMap: null, name: 'config', secret: {secretName: 's'}}],
        },
      })
      assert.deepStrictEqual(strategicMergePatch(live, patch, POD), modified)
    })

    it('adds a finalizer next to one the server added', () => {
      const patch = createThreeWayMergePatch({metadata: {finalizers: ['a']}}, {metadata: {finalizers: ['a', 'x']}}, {metadata: {finalizers: ['a', 'server']}}, POD)
      assert.deepStrictEqual(patch, {metadata: {'$setElementOrder/finalizers': ['a', 'x'], finalizers: ['x']}})
      assert.deepStrictEqual(strategicMergePatch({metadata: {finalizers: ['a', 'server']}}, patch, POD), {metadata: {finalizers: ['a', 'x', 'server']}})
    })

    it('keeps server-assigned service fields while changing the selector', () => {
      const lastApplied = {spec: {selector: {app: 'web'}, ports: [{port: 80}]}}
      const modified = {spec: {selector: {app: 'api'}, ports: [{port: 80}]}}
      const live = {spec: {clusterIP: '10.0.0.1', selector: {app: 'web'}, ports: [{port: 80, protocol: 'TCP', targetPort: 80}], type: 'ClusterIP'}}
      const patch = createThreeWayMergePatch(lastApplied, modified, live, SERVICE)
      assert.deepStrictEqual(patch, {spec: {selector: {app: 'api'}}})
      assert.deepStrictEqual(strategicMergePatch(live, patch, SERVICE), {
        spec: {clusterIP: '10.0.0.1', selector: {app: 'api'}, ports: [{port: 80, protocol: 'TCP', targetPort: 80}], type: 'ClusterIP'},
      })
    })

    it('reports a conflict without overwrite when someone else changed the image', () => {
      const lastApplied = deployment({containers: [{name: 'app', image: 'app:1'}]})
      const modified = deployment({containers: [{name: 'app', image: 'app:3'}]})
      const live = deployment({containers: [{name: 'app', image: 'app:2'}]})
      assert.throws(() => createThreeWayMergePatch(lastApplied, modified, live, DEPLOYMENT, false), MergeConflictError)
      assert.deepStrictEqual(
        createThreeWayMergePatch(lastApplied, modified, live, DEPLOYMENT, true),
        podSpecPatch({'$setElementOrder/containers': [{name: 'app'}], containers: [{name: 'app', image: 'app:3'}]}),
      )
    })

    it('does not report a conflict for unrelated live changes', () => {
      const lastApplied = deployment({containers: [{name: 'app', image: 'app:1'}]})
      const modified = deployment({containers: [{name: 'app', image: 'app:2'}]})
      const live = deployment({containers: [{name: 'app', image: 'app:1', imagePullPolicy: 'Always'}]}, {metadata: {annotations: {note: 'x'}}})
      assert.doesNotThrow(() => createThreeWayMergePatch(lastApplied, modified, live, DEPLOYMENT, false))
    })
  })

  describe('applying patches with directives', () => {
    const pod = {
      metadata: {name: 'p', labels: {a: '1', b: '2'}},
      spec: {
        containers: [{name: 'a', image: 'a'}, {name: 'b', image: 'b'}],
        securityContext: {runAsUser: 1000},
      },
    }
    it('$patch: replace in a list replaces the list', () => {
      const result = strategicMergePatch(pod, {spec: {containers: [{name: 'c', image: 'c'}, {$patch: 'replace'}]}}, POD)
      assert.deepStrictEqual((result as {spec: {containers: unknown}}).spec.containers, [{name: 'c', image: 'c'}])
    })
    it('$patch: replace on a map replaces the map', () => {
      const result = strategicMergePatch(pod, {metadata: {labels: {$patch: 'replace', c: '3'}}}, POD)
      assert.deepStrictEqual((result as {metadata: object}).metadata, {name: 'p', labels: {c: '3'}})
    })
    it('$patch: delete on a map empties it', () => {
      const result = strategicMergePatch(pod, {spec: {securityContext: {$patch: 'delete'}}}, POD)
      assert.deepStrictEqual((result as {spec: {securityContext: object}}).spec.securityContext, {})
    })
    it('$patch directives never leak into fields the object did not have', () => {
      const result = strategicMergePatch({spec: {}}, {spec: {initContainers: [{name: 'x', image: 'x'}, {name: 'gone', $patch: 'delete'}], dnsConfig: {$patch: 'delete'}}}, POD)
      assert.deepStrictEqual(result, {spec: {initContainers: [{name: 'x', image: 'x'}]}})
    })
    it('appends new list items after existing ones without an order directive', () => {
      const result = strategicMergePatch(pod, {spec: {containers: [{name: 'c', image: 'c'}, {name: 'a', image: 'a2'}]}}, POD)
      assert.deepStrictEqual((result as {spec: {containers: unknown}}).spec.containers, [
        {name: 'c', image: 'c'},
        {name: 'a', image: 'a2'},
        {name: 'b', image: 'b'},
      ])
    })
    it('treats unknown kinds as schemaless: lists are replaced, maps merge', () => {
      const cr = {spec: {items: [{name: 'a', v: 1}], settings: {x: 1, y: 2}}}
      const patch = {spec: {items: [{name: 'b'}], settings: {y: null, z: 3}}}
      const expected = {spec: {items: [{name: 'b'}], settings: {x: 1, z: 3}}}
      assert.deepStrictEqual(strategicMergePatch(cr, patch, PatchSchema.schemaless()), expected)
      assert.deepStrictEqual(strategicMergePatch(cr, patch, new PatchSchema(K8S_META, 'example.com.v1.Widget')), expected)
      assert.deepStrictEqual(createTwoWayMergePatch(cr, expected, PatchSchema.schemaless()), patch)
    })
    it('reads undefined properties as absent, as JSON does', () => {
      const patch = createTwoWayMergePatch({spec: {replicas: 1, paused: undefined}}, {spec: {replicas: undefined}}, DEPLOYMENT)
      assert.deepStrictEqual(patch, {spec: {replicas: null}})
      assert.deepStrictEqual(strategicMergePatch({spec: {replicas: 1}}, {spec: {paused: undefined}}, DEPLOYMENT), {spec: {replicas: 1}})
    })
    it('never modifies its inputs', () => {
      const original = deepFreeze(deployment({containers: [{name: 'app', image: 'a', env: [{name: 'X', value: '1'}]}], volumes: [{name: 'v', emptyDir: {}}]}))
      const modified = deepFreeze(deployment({containers: [{name: 'app', image: 'b'}, {name: 'new', image: 'n'}], volumes: [{name: 'v', secret: {secretName: 's'}}]}))
      const current = deepFreeze(deployment({containers: [{name: 'app', image: 'a', env: [{name: 'X', value: '1'}], tty: true}], volumes: [{name: 'v', emptyDir: {medium: 'Memory'}}]}))
      const twoWay = deepFreeze(createTwoWayMergePatch(original, modified, DEPLOYMENT))
      assert.deepStrictEqual(strategicMergePatch(original, twoWay, DEPLOYMENT), modified)
      const threeWay = deepFreeze(createThreeWayMergePatch(original, modified, current, DEPLOYMENT))
      const result = strategicMergePatch(current, threeWay, DEPLOYMENT) as {spec: {template: {spec: object}}}
      assert.deepStrictEqual(result.spec.template.spec, {
        containers: [{name: 'app', image: 'b', tty: true}, {name: 'new', image: 'n'}],
        volumes: [{name: 'v', secret: {secretName: 's'}}],
      })
    })
  })
})
