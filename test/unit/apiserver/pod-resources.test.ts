// A pod's effective requests: containers summed, init containers as peaks, sidecars (restartable
// init containers) adding to both, overhead on top.
import {strict as assert} from 'node:assert'
import {podResources} from '../../../src/apiserver/admission.js'

const c = (cpu: string, extra: Record<string, unknown> = {}) => ({name: 'x', image: 'i', resources: {requests: {cpu}}, ...extra})
const cpu = (spec: Record<string, unknown>) => podResources({spec}).requests.get('cpu')?.toString()

describe('podResources', () => {
  it('sums containers', () => assert.equal(cpu({containers: [c('100m'), c('200m')]}), '300m'))
  it('takes an init container larger than the containers', () => assert.equal(cpu({containers: [c('100m')], initContainers: [c('1')]}), '1'))
  it('ignores a smaller init container', () => assert.equal(cpu({containers: [c('500m')], initContainers: [c('200m')]}), '500m'))
  it('adds sidecars to the containers', () => assert.equal(cpu({containers: [c('500m')], initContainers: [c('200m', {restartPolicy: 'Always'})]}), '700m'))
  it('adds earlier sidecars to a later init container\'s peak', () => {
    assert.equal(cpu({containers: [c('100m')], initContainers: [c('300m', {restartPolicy: 'Always'}), c('1')]}), '1300m')
  })
  it('does not add later sidecars to an earlier init container', () => {
    assert.equal(cpu({containers: [c('100m')], initContainers: [c('1'), c('300m', {restartPolicy: 'Always'})]}), '1')
  })
  it('adds overhead', () => assert.equal(cpu({containers: [c('100m')], overhead: {cpu: '250m'}}), '350m'))
})
