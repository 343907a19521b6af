// Locates and loads the generated files under schemas/ (see scripts/generate-schemas.ts). Each file is
// read once per process and only when a command needs it.
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {PatchMeta} from '../patch/meta.js'

// Works from src/schema (tsx) and dist/schema (built) alike: both are two levels below the root.
const SCHEMAS = fileURLToPath(new URL('../../schemas/', import.meta.url))

export interface SchemaIndex {
  versions: string[]
  default: string
}

const cache = new Map<string, unknown>()

function load<T>(rel: string): T {
  let v = cache.get(rel)
  if (v === undefined) {
    v = JSON.parse(readFileSync(SCHEMAS + rel, 'utf8'))
    cache.set(rel, v)
  }
  return v as T
}

export function schemaIndex(): SchemaIndex {
  return load<SchemaIndex>('index.json')
}

export function supportedVersions(): string[] {
  return schemaIndex().versions
}

export function defaultKubernetesVersion(): string {
  return schemaIndex().default
}

/** Accepts `1.30`, `v1.30`, `1.30.2`; returns the `1.NN` we have schemas for, or undefined. */
export function normalizeKubernetesVersion(input: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(input.trim())
  if (!m) return undefined
  const v = `${m[1]}.${m[2]}`
  return supportedVersions().includes(v) ? v : undefined
}

export type JsonSchema = {[k: string]: unknown}

export function loadDefinitions(version: string): Record<string, JsonSchema> {
  return load(`v${version}/definitions.json`)
}

export function loadPatchMeta(version: string): PatchMeta {
  return load(`v${version}/patch.json`)
}

export function loadResourcesFile<T>(version: string): T {
  return load(`v${version}/resources.json`)
}
