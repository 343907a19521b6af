// DefaultTolerationSeconds admission: a new Pod tolerates node.kubernetes.io/not-ready and
// unreachable (NoExecute) for 300 s unless it already tolerates them; updates are left alone.
import {strict as assert} from 'node:assert'
import {newCluster, type Any} from './helpers.js'

const DEFAULTS = [
  {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
  {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
]

function pod(name: string, tolerations?: Any[]): Any {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {containers: [{name: 'c', image: 'nginx'}], ...(tolerations ? {tolerations} : {})}}
}

describe('DefaultTolerationSeconds admission', () => {
  it('adds both tolerations, after the pod\'s own', () => {
    const c = newCluster(7, {controllers: false})
    const own = {key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule'}
    assert.deepEqual(c.api.ok(c.api.create('pods', pod('a'))).spec.tolerations, DEFAULTS)
    assert.deepEqual(c.api.ok(c.api.create('pods', pod('b', [own]))).spec.tolerations, [own, ...DEFAULTS])
  })

  it('keeps a pod\'s own toleration of either taint, and counts empty keys and effects as matching', () => {
    const c = newCluster(7, {controllers: false})
    const notReady = {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30}
    assert.deepEqual(c.api.ok(c.api.create('pods', pod('a', [notReady]))).spec.tolerations, [notReady, DEFAULTS[1]])
    const noEffect = {key: 'node.kubernetes.io/unreachable', operator: 'Exists'}
    assert.deepEqual(c.api.ok(c.api.create('pods', pod('b', [noEffect]))).spec.tolerations, [noEffect, DEFAULTS[0]])
    const everything = {operator: 'Exists'}
    assert.deepEqual(c.api.ok(c.api.create('pods', pod('c', [everything]))).spec.tolerations, [everything])
    const noSchedule = {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule'}
    assert.deepEqual(c.api.ok(c.api.create('pods', pod('d', [noSchedule]))).spec.tolerations, [noSchedule, ...DEFAULTS])
  })

  it('does not touch other kinds', () => {
    const c = newCluster(7, {controllers: false})
    const cm = c.api.ok(c.api.create('configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'x'}, data: {}}))
    assert.equal(cm.spec, undefined)
  })
})
