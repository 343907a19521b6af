// Temporary files for the manifest reader tests, removed after each test file's run.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {readManifests} from '../../../src/manifest/index.js'
import type {ManifestReadResult, ReadManifestsOptions} from '../../../src/manifest/index.js'

const made: string[] = []

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kube2-manifest-'))
  made.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true})
}

/** Writes files (relative path -> content) under `dir`, creating subdirectories. */
export function writeTree(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel)
    mkdirSync(path.dirname(full), {recursive: true})
    writeFileSync(full, content)
  }
}

/** Reads one file with the given content through readManifests. */
export async function readContent(
  content: string | Uint8Array,
  name = 'manifest.yaml',
  opts: ReadManifestsOptions = {},
): Promise<ManifestReadResult & {file: string}> {
  const dir = tempDir()
  const file = path.join(dir, name)
  writeFileSync(file, content)
  return {...(await readManifests([file], opts)), file}
}

export const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`
