import {strict as assert} from 'node:assert'
import {UserError, UsageError} from '../../../src/cli/errors.js'

describe('cli errors', () => {
  it('carries exit codes', () => {
    assert.equal(new UserError('x').exitCode, 1)
    assert.equal(new UsageError('x').exitCode, 2)
  })
})
