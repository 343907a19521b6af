// Expands `-f` arguments into the sources kubectl would read: `-` for standard input, http(s) URLs,
// files, directories walked in lexical order (only .json/.yaml/.yml), and glob patterns.
import type {Dirent} from 'node:fs'
import {promises as fs} from 'node:fs'
import path from 'node:path'
import {BadPatternError, compareNames, glob} from './glob.js'
import type {ManifestProblem} from './types.js'

export const STDIN_SOURCE = 'STDIN'
export const MANIFEST_EXTENSIONS = ['.json', '.yaml', '.yml']

export type InputEntry =
  | {type: 'file'; path: string}
  | {type: 'stdin'}
  | {type: 'url'; url: string}
  | {type: 'problem'; problem: ManifestProblem}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
}

/** An fs error worded like Go's *PathError ("open x.yaml: permission denied"), as kubectl prints it. */
export function osErrorText(op: string, p: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  const text = code !== undefined ? (ERRNO_TEXT[code] ?? code.toLowerCase()) : String(err)
  return `${op} ${p}: ${text}`
}

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code

/** Go's filepath.Ext: from the last dot of the name, so ".yaml" alone counts as a YAML file. */
export function hasManifestExtension(name: string): boolean {
  const dot = name.lastIndexOf('.')
  return dot >= 0 && MANIFEST_EXTENSIONS.includes(name.slice(dot))
}

const unreadable = (source: string, message: string): InputEntry => ({
  type: 'problem',
  problem: {source, kind: 'unreadable', message},
})

export async function expandInputs(inputs: readonly string[], recursive: boolean): Promise<InputEntry[]> {
  const entries: InputEntry[] = []
  let stdinUsed = false
  for (const input of inputs) {
    if (input === '-') {
      if (stdinUsed) entries.push(unreadable(STDIN_SOURCE, 'standard input cannot be used for multiple arguments'))
      else entries.push({type: 'stdin'})
      stdinUsed = true
    } else if (input.startsWith('http://') || input.startsWith('https://')) {
      try {
        new URL(input)
        entries.push({type: 'url', url: input})
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        entries.push(unreadable(input, `the URL passed to filename "${input}" is not valid: ${reason}`))
      }
    } else {
      await expandPath(input, recursive, entries)
    }
  }
  return entries
}

async function expandPath(p: string, recursive: boolean, entries: InputEntry[]): Promise<void> {
  try {
    await fs.stat(p)
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') {
      entries.push(unreadable(p, `the path "${p}" cannot be accessed: ${osErrorText('stat', p, err)}`))
      return
    }
    // kubectl expands an argument that names nothing as a glob pattern.
    let matches: string[]
    try {
      matches = await glob(p)
    } catch (globErr) {
      if (!(globErr instanceof BadPatternError)) throw globErr
      entries.push(unreadable(p, `pattern "${p}" is not valid: ${globErr.message}`))
      return
    }
    if (matches.length === 0) {
      entries.push(unreadable(p, `the path "${p}" does not exist`))
      return
    }
    for (const match of matches) await visitPath(match, recursive, entries)
    return
  }
  await visitPath(p, recursive, entries)
}

async function visitPath(p: string, recursive: boolean, entries: InputEntry[]): Promise<void> {
  let isDirectory: boolean
  try {
    isDirectory = (await fs.stat(p)).isDirectory()
  } catch (err) {
    entries.push(
      unreadable(
        p,
        errorCode(err) === 'ENOENT'
          ? `the path "${p}" does not exist`
          : `the path "${p}" cannot be accessed: ${osErrorText('stat', p, err)}`,
      ),
    )
    return
  }
  // A file named on the command line is read whatever its extension.
  if (!isDirectory) {
    entries.push({type: 'file', path: p})
    return
  }
  const files: string[] = []
  let walkError: string | undefined
  try {
    await walk(p, recursive, files)
  } catch (err) {
    if (!(err instanceof WalkError)) throw err
    walkError = err.message
  }
  for (const file of files) entries.push({type: 'file', path: file})
  if (walkError !== undefined) entries.push(unreadable(p, `error reading "${p}": ${walkError}`))
  else if (files.length === 0) {
    entries.push({
      type: 'problem',
      problem: {source: p, kind: 'empty', message: `error reading [${p}]: recognized file extensions are [${MANIFEST_EXTENSIONS.join(' ')}]`},
    })
  }
}

class WalkError extends Error {}

// Like Go's filepath.Walk: names in byte order, subdirectories visited where they sort, symbolic
// links not followed into directories (a link is read as a file if its name has an extension).
async function walk(dir: string, recursive: boolean, files: string[]): Promise<void> {
  let children: Dirent[]
  try {
    children = await fs.readdir(dir, {withFileTypes: true})
  } catch (err) {
    throw new WalkError(osErrorText('open', dir, err))
  }
  children.sort((a, b) => compareNames(a.name, b.name))
  for (const child of children) {
    const full = path.join(dir, child.name)
    if (child.isDirectory()) {
      if (recursive) await walk(full, recursive, files)
    } else if (hasManifestExtension(child.name)) {
      files.push(full)
    }
  }
}
