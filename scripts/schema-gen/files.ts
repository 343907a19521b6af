// Reads the OpenAPI documents and lays out every generated file (relative path -> text), in memory.
import {existsSync, readFileSync} from 'node:fs'
import {gunzipSync, gzipSync} from 'node:zlib'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {compactDefinitions, documentedDefinitions, patchMetadata, removedApis, resourceRegistry, stableJson, type OpenApiDocument, type ResourceRegistryFile} from './generate.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const SCHEMAS_DIR = join(ROOT, 'schemas')
export const KUBERNETES_VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36']

export function openApiDir(): string {
  return process.env.KUBE2_OPENAPI_DIR ?? join(ROOT, '..', 'shared', 'kubernetes-openapi')
}

export function openApiAvailable(dir = openApiDir()): boolean {
  return existsSync(join(dir, `swagger-v${KUBERNETES_VERSIONS[0]}.json.gz`))
}

export function readOpenApi(dir: string, version: string): OpenApiDocument {
  return JSON.parse(gunzipSync(readFileSync(join(dir, `swagger-v${version}.json.gz`))).toString('utf8')) as OpenApiDocument
}

/** Generated files: text, or bytes for the compressed ones. */
export type GeneratedFile = string | Buffer

export function generateAll(dir: string): Map<string, GeneratedFile> {
  const files = new Map<string, GeneratedFile>()
  const registries: Array<ResourceRegistryFile> = []
  for (const version of KUBERNETES_VERSIONS) {
    const doc = readOpenApi(dir, version)
    files.set(`v${version}/definitions.json`, stableJson(compactDefinitions(doc)))
    files.set(`v${version}/patch.json`, stableJson(patchMetadata(doc)))
    // For the emulator's /openapi/v2 and /openapi/v3 (kubectl explain needs the descriptions).
    files.set(`v${version}/openapi-definitions.json.gz`, gzipSync(stableJson(documentedDefinitions(doc)), {level: 9}))
    registries.push({kubernetesVersion: version, ...resourceRegistry(doc), removed: []})
  }
  for (const reg of registries) {
    reg.removed = removedApis(reg.kubernetesVersion, registries)
    files.set(`v${reg.kubernetesVersion}/resources.json`, JSON.stringify(reg, null, 1) + '\n')
  }
  files.set('index.json', JSON.stringify({versions: KUBERNETES_VERSIONS, default: KUBERNETES_VERSIONS.at(-1)}, null, 2) + '\n')
  return files
}
