// The committed schemas/ must be exactly what scripts/generate-schemas.ts makes from the OpenAPI
// documents. Needs ../shared/kubernetes-openapi: skipped where it is absent (a user's clone).
import {strict as assert} from 'node:assert'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {generateAll, openApiAvailable, openApiDir, SCHEMAS_DIR} from '../../../scripts/schema-gen/files.js'
import {generateProtobufTable, PROTOBUF_TABLE} from '../../../scripts/generate-protobuf.js'
import {KUBECTL_NEWEST, kubectlAvailable} from '../../helpers/emulator.js'

describe('generated schemas', function () {
  this.timeout(60000)

  it('are fresh: regenerating from ../shared/kubernetes-openapi gives the committed files', function () {
    if (!openApiAvailable()) this.skip()
    const files = generateAll(openApiDir())
    const committed = readdirSync(SCHEMAS_DIR, {recursive: true, withFileTypes: true})
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath ?? d.path, d.name).slice(SCHEMAS_DIR.length + 1))
      .filter((rel) => rel !== 'protobuf.json') // scripts/generate-protobuf.ts: checked below
      .sort()
    assert.deepEqual(committed, [...files.keys()].sort(), 'the set of files differs: run npm run generate:schemas')
    for (const [rel, text] of files) {
      assert.ok(readFileSync(join(SCHEMAS_DIR, rel)).equals(Buffer.from(text)), `schemas/${rel} is stale: run npm run generate:schemas`)
    }
  })

  it('protobuf.json is fresh: regenerating from kubectl 1.33\'s descriptors gives the committed file', function () {
    if (!kubectlAvailable(KUBECTL_NEWEST)) this.skip()
    const {text} = generateProtobufTable(KUBECTL_NEWEST)
    assert.ok(readFileSync(PROTOBUF_TABLE).equals(Buffer.from(text)), 'schemas/protobuf.json is stale: run npm run generate:protobuf')
  })
})
