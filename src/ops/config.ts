// `kube2 config …`: reading the merged kubeconfig and changing it as kubectl does. Changes go where
// client-go's ModifyConfig puts them: current-context into the first file of the list that sets one
// (else the default file), a context into the file that defines it (else the default file); the
// default file is --kubeconfig, else the only or the first existing $KUBECONFIG file (else its last),
// else ~/.kube/config. A file that is written is rewritten in kubectl's normalized form.
import {chmodSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'
import {UserError} from '../cli/errors.js'
import {entryData, kubeconfigPaths, loadKubeconfig, readKubeconfigFile, type Kubeconfig} from '../kubeconfig/config.js'
import {normalizeConfig} from '../kubeconfig/normalize.js'
import {toYaml} from '../print/yaml.js'

type Obj = Record<string, unknown>

/** The merged kubeconfig as one document (first entry of each name, in file order). */
export function mergedConfig(config: Kubeconfig): Obj {
  const doc: Obj = {
    clusters: config.clusters.map((c) => ({name: c.name, cluster: c.value})),
    users: config.users.map((u) => ({name: u.name, user: u.value})),
    contexts: config.contexts.map((c) => ({name: c.name, context: c.value})),
    'current-context': config.currentContext ?? '',
  }
  return normalizeConfig(doc)
}

/** --minify: only the current context and the cluster and user it names. */
export function minify(doc: Obj): Obj {
  const current = String(doc['current-context'] ?? '')
  if (!current) throw new UserError('current-context must exist in order to minify')
  const ctx = ((doc.contexts as Obj[] | null) ?? []).find((c) => c.name === current)
  if (!ctx) throw new UserError(`cannot locate context ${current}`)
  const c = ctx.context as Obj
  return {
    ...doc,
    clusters: ((doc.clusters as Obj[] | null) ?? []).filter((x) => x.name === c.cluster),
    users: ((doc.users as Obj[] | null) ?? []).filter((x) => x.name === c.user),
    contexts: [ctx],
  }
}

/** A referenced file for --flatten, with kubectl's error when it cannot be read. */
function embedded(e: Obj, key: string, file: string): string {
  try {
    return Buffer.from(entryData(e, key, file) ?? '').toString('base64')
  } catch (err) {
    throw new UserError((err as Error).message.replace(/^unable to read .*? from ".*?": /, ''))
  }
}

/** --flatten: certificate files become *-data, as kubectl embeds them. */
export function flatten(config: Kubeconfig, doc: Obj): Obj {
  const out = JSON.parse(JSON.stringify(doc)) as Obj
  for (const e of (out.clusters as Obj[] | null) ?? []) {
    const src = config.clusters.find((c) => c.name === e.name)
    const cl = e.cluster as Obj
    if (src && typeof cl['certificate-authority'] === 'string') {
      cl['certificate-authority-data'] = embedded(src.value, 'certificate-authority', src.file)
      delete cl['certificate-authority']
    }
  }
  for (const e of (out.users as Obj[] | null) ?? []) {
    const src = config.users.find((u) => u.name === e.name)
    const u = e.user as Obj
    for (const k of ['client-certificate', 'client-key']) {
      if (src && typeof u[k] === 'string') {
        u[`${k}-data`] = embedded(src.value, k, src.file)
        delete u[k]
      }
    }
  }
  return normalizeConfig(out)
}

/** client-go's GetDefaultFilename. */
export function defaultKubeconfigFile(flag?: string): string {
  if (flag) return flag
  const paths = kubeconfigPaths()
  if (paths.length === 1 || !process.env.KUBECONFIG) return paths[0]!
  return paths.find((p) => existsSync(p)) ?? paths[paths.length - 1]!
}

function readForWrite(path: string): Obj {
  return normalizeConfig(existsSync(path) ? readKubeconfigFile(path) ?? {} : {})
}

function writeConfig(path: string, doc: Obj): void {
  mkdirSync(dirname(path), {recursive: true})
  // An existing file keeps its mode; a new one is readable by its owner only.
  const mode = existsSync(path) ? statSync(path).mode & 0o777 : 0o600
  const tmp = `${path}.kube2-tmp`
  writeFileSync(tmp, toYaml(doc), {mode})
  renameSync(tmp, path)
  chmodSync(path, mode)
}

export function useContext(flag: string | undefined, name: string): void {
  const config = loadKubeconfig(flag)
  if (!config.contexts.some((c) => c.name === name)) throw new UserError(`no context exists with the name: "${name}"`)
  setCurrentContext(flag, name)
}

function setCurrentContext(flag: string | undefined, name: string): void {
  let target = flag
  if (!target) {
    for (const p of kubeconfigPaths()) {
      if (!existsSync(p)) continue
      const d = readKubeconfigFile(p)
      if (d && typeof d['current-context'] === 'string' && d['current-context']) {
        target = p
        break
      }
    }
  }
  target ??= defaultKubeconfigFile(flag)
  const doc = readForWrite(target)
  doc['current-context'] = name
  writeConfig(target, doc)
}

export interface SetContextOptions {
  cluster?: string
  user?: string
  namespace?: string
}

type EntryKind = 'clusters' | 'users' | 'contexts'
const FIELD: Record<EntryKind, string> = {clusters: 'cluster', users: 'user', contexts: 'context'}

/**
 * Creates or changes a named cluster, user or context where kubectl would: in the file that defines
 * it, else in the default file. `change` edits the entry's value in place.
 */
export function modifyEntry(flag: string | undefined, kind: EntryKind, name: string, change: (value: Obj) => void): {created: boolean; file: string} {
  const config = loadKubeconfig(flag)
  const existing = config[kind].find((e) => e.name === name)
  const target = existing?.file ?? defaultKubeconfigFile(flag)
  const doc = readForWrite(target)
  const list = ((doc[kind] as Obj[] | null) ?? [])
  doc[kind] = list
  let entry = list.find((e) => e.name === name)
  if (!entry) {
    entry = {name, [FIELD[kind]]: {}}
    list.push(entry)
  }
  change(entry[FIELD[kind]] as Obj)
  writeConfig(target, normalizeConfig(doc))
  return {created: !existing, file: target}
}

/** Creates or modifies a context; `created` tells which. */
export function setContext(flag: string | undefined, name: string, opts: SetContextOptions): {created: boolean} {
  return modifyEntry(flag, 'contexts', name, (ctx) => {
    if (opts.cluster !== undefined) ctx.cluster = opts.cluster
    if (opts.user !== undefined) ctx.user = opts.user
    if (opts.namespace !== undefined) ctx.namespace = opts.namespace
  })
}
