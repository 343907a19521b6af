// The kubelet's small pure helpers: QoS class, pod IP allocation, image references.
import {strict as assert} from 'node:assert'
import {imageID, imageMatches, normalizeImage} from '../../../src/kubelet/images.js'
import {allocatePodIP} from '../../../src/kubelet/ip.js'
import type {Obj} from '../../../src/kubelet/obj.js'
import {computeQOS, qosClass} from '../../../src/kubelet/qos.js'

const pod = (containers: Obj[], initContainers: Obj[] = [], resources?: Obj): Obj => ({spec: {containers, initContainers, ...(resources ? {resources} : {})}})
const res = (requests?: Obj, limits?: Obj): Obj => ({name: 'c', resources: {...(requests ? {requests} : {}), ...(limits ? {limits} : {})}})

describe('kubelet: QoS class', () => {
  it('is BestEffort without requests or limits (zero counts as none; other resources do not count)', () => {
    assert.equal(computeQOS(pod([{name: 'c'}])), 'BestEffort')
    assert.equal(computeQOS(pod([res({cpu: '0'}, {memory: '0'})])), 'BestEffort')
    assert.equal(computeQOS(pod([res({'ephemeral-storage': '1Gi'}, {'nvidia.com/gpu': '1'})])), 'BestEffort')
  })

  it('is Guaranteed when every container limits cpu and memory at its requests', () => {
    assert.equal(computeQOS(pod([res({cpu: '500m', memory: '128Mi'}, {cpu: '0.5', memory: '128Mi'})])), 'Guaranteed')
    assert.equal(computeQOS(pod([res({cpu: '1', memory: '1Gi'}, {cpu: '1', memory: '1Gi'}), res({cpu: '1', memory: '1Gi'}, {cpu: '1', memory: '1Gi'})])), 'Guaranteed')
  })

  it('is Burstable otherwise', () => {
    assert.equal(computeQOS(pod([res({cpu: '100m'})])), 'Burstable')
    assert.equal(computeQOS(pod([res({cpu: '1', memory: '1Gi'}, {cpu: '2', memory: '1Gi'})])), 'Burstable')
    assert.equal(computeQOS(pod([res({cpu: '1', memory: '1Gi'}, {cpu: '1', memory: '1Gi'}), {name: 'd'}])), 'Burstable')
    assert.equal(computeQOS(pod([res({cpu: '1', memory: '1Gi'}, {cpu: '1', memory: '1Gi'})], [res({cpu: '1'})])), 'Burstable')
  })

  it('uses pod-level resources when they name cpu or memory', () => {
    assert.equal(computeQOS(pod([{name: 'c'}], [], {requests: {cpu: '1', memory: '1Gi'}, limits: {cpu: '1', memory: '1Gi'}})), 'Guaranteed')
  })

  it('keeps a class already in the status', () => {
    assert.equal(qosClass({...pod([{name: 'c'}]), status: {qosClass: 'Burstable'}}), 'Burstable')
  })
})

describe('kubelet: pod IPs', () => {
  it('hands out the lowest free address, skipping the network address and the gateway', () => {
    assert.equal(allocatePodIP('10.244.1.0/24', new Set()), '10.244.1.2')
    assert.equal(allocatePodIP('10.244.1.0/24', new Set(['10.244.1.2', '10.244.1.3'])), '10.244.1.4')
  })

  it('normalizes the CIDR base and fails when the range is full', () => {
    assert.equal(allocatePodIP('10.244.1.77/30', new Set()), '10.244.1.78')
    assert.throws(() => allocatePodIP('10.244.1.76/30', new Set(['10.244.1.78'])), /no free pod IP left in 10\.244\.1\.76\/30/)
  })

  it('works for IPv6', () => {
    assert.equal(allocatePodIP('fd00:10:244:1::/64', new Set()), 'fd00:10:244:1::2')
    assert.equal(allocatePodIP('fd00:10:244:1::/64', new Set(['fd00:10:244:1::2'])), 'fd00:10:244:1::3')
  })

  it('rejects a malformed CIDR', () => {
    assert.throws(() => allocatePodIP('10.244.1.0', new Set()), /invalid CIDR address: 10\.244\.1\.0/)
    assert.throws(() => allocatePodIP('10.300.1.0/24', new Set()), /invalid CIDR/)
  })
})

describe('kubelet: image references', () => {
  it('normalizes like containerd', () => {
    assert.equal(normalizeImage('nginx').normalized, 'docker.io/library/nginx:latest')
    assert.equal(normalizeImage('nginx:1.27').normalized, 'docker.io/library/nginx:1.27')
    assert.equal(normalizeImage('bitnami/redis:7').normalized, 'docker.io/bitnami/redis:7')
    assert.equal(normalizeImage('registry.k8s.io/pause:3.10').normalized, 'registry.k8s.io/pause:3.10')
    assert.equal(normalizeImage('localhost:5000/app').normalized, 'localhost:5000/app:latest')
    assert.equal(normalizeImage('nginx@sha256:abc').normalized, 'docker.io/library/nginx@sha256:abc')
  })

  it('gives a stable image digest per reference', () => {
    assert.equal(imageID('nginx'), imageID('docker.io/library/nginx:latest'))
    assert.notEqual(imageID('nginx:1.26'), imageID('nginx:1.27'))
    assert.equal(imageID('nginx@sha256:abc'), 'docker.io/library/nginx@sha256:abc')
  })

  it('matches glob patterns against the written and the normalized name', () => {
    assert.ok(imageMatches(['nginx*'], 'nginx:1.27'))
    assert.ok(imageMatches(['*/nginx*'], 'nginx:1.27'))
    assert.ok(imageMatches(['*:crashloop'], 'ghcr.io/me/app:crashloop'))
    assert.ok(!imageMatches(['nginx*'], 'bitnami/nginx'))
    assert.ok(imageMatches(['*/nginx*'], 'bitnami/nginx'))
  })
})
