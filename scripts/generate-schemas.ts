// Generates schemas/v1.NN/{definitions,resources,patch}.json and openapi-definitions.json.gz for Kubernetes 1.28–1.36 from the
// official OpenAPI v2 documents in ../shared/kubernetes-openapi (or $KUBE2_OPENAPI_DIR).
// Run: npm run generate:schemas. test/unit/schema/generated.test.ts checks the output is fresh.
import {mkdirSync, writeFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {generateAll, openApiDir, SCHEMAS_DIR} from './schema-gen/files.js'

const dir = openApiDir()
const files = generateAll(dir)
let total = 0
for (const [rel, text] of files) {
  const target = join(SCHEMAS_DIR, rel)
  mkdirSync(join(target, '..'), {recursive: true})
  writeFileSync(target, text)
  total += statSync(target).size
}
console.log(`wrote ${files.size} files under schemas/ (${(total / 1024 / 1024).toFixed(1)} MiB) from ${dir}`)
