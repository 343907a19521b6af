// --schema-location: a file or directory of CRDs (YAML or JSON) and JSON Schema files, loaded into
// a validator before any object is checked.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {basename, dirname, extname, join} from 'node:path'
import {readManifests} from '../../manifest/index.js'
import {isCustomResourceDefinition, jsonSchemaFileToSchemas} from '../../schema/crd.js'
import type {SchemaValidator} from '../../schema/validator.js'
import {toInputProblem} from './pass.js'
import type {InputProblem} from './types.js'

export async function loadSchemaLocation(validator: SchemaValidator, location: string): Promise<InputProblem[]> {
  let stat
  try {
    stat = statSync(location)
  } catch {
    return [{source: location, message: `the schema location "${location}" does not exist`, severity: 'error', unreadable: true}]
  }
  const files = stat.isDirectory() ? walk(location) : [location]
  const problems: InputProblem[] = []
  for (const file of files) {
    const ext = extname(file).toLowerCase()
    if (ext === '.json') problems.push(...loadJsonSchemaFile(validator, file))
    else if (ext === '.yaml' || ext === '.yml') {
      const read = await readManifests([file], {})
      for (const p of read.problems) if (p.kind !== 'empty') problems.push({...toInputProblem(p), unreadable: true})
      for (const doc of read.objects) if (isCustomResourceDefinition(doc.object)) validator.addCustomResourceDefinition(doc.object)
    }
  }
  return problems
}

function loadJsonSchemaFile(validator: SchemaValidator, file: string): InputProblem[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    return [{source: file, message: `cannot read schema: ${(e as Error).message}`, severity: 'error', unreadable: true}]
  }
  const obj = parsed as Record<string, unknown>
  if (isCustomResourceDefinition(obj)) {
    validator.addCustomResourceDefinition(obj)
    return []
  }
  const schemas = jsonSchemaFileToSchemas(obj, basename(file), basename(dirname(file)))
  if (schemas.length === 0) {
    const message = 'cannot tell which kind this JSON Schema is for: name it {kind}-{group}-{version}.json or {group}/{kind}_{version}.json, or add x-kubernetes-group-version-kind'
    return [{source: file, message, severity: 'error', unreadable: true}]
  }
  for (const s of schemas) validator.addCustomResourceSchema(s)
  return []
}

function walk(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...walk(full))
    else out.push(full)
  }
  return out
}
