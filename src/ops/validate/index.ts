// `kube2 validate`: reads every input, validates each object against the release's schemas (and
// custom resources' schemas), runs the apiserver's semantic checks, then the cross-object checks, and
// returns one report. It never talks to a cluster.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {basename, dirname, extname, join} from 'node:path'
import {readManifests, locateLine, type ManifestObject} from '../../manifest/index.js'
import {SchemaValidator} from '../../schema/validator.js'
import {isCustomResourceDefinition, jsonSchemaFileToSchemas} from '../../schema/crd.js'
import {checkObject} from '../../schema/semantic/index.js'
import {crossObjectWarnings} from '../../schema/semantic/references.js'
import {describeProblem, formatPath, problem, type Path, type Problem} from '../../schema/problems.js'
import type {Finding, InputProblem, ResourceReport, ValidationReport} from './types.js'

export * from './types.js'

export interface ValidateOptions {
  inputs: string[]
  recursive?: boolean
  stdin?: NodeJS.ReadableStream
  kubernetesVersion: string
  strict?: boolean
  schemaLocations?: string[]
  ignoreMissingSchemas?: boolean
  /** Kinds (`Secret`) or apiVersion/kinds (`v1/Secret`, `apps/v1/Deployment`) not to validate. */
  skip?: string[]
  /** Kinds or apiVersion/kinds that are invalid wherever they appear. */
  reject?: string[]
  warningsAsErrors?: boolean
  checkReferences?: boolean
  fetch?: typeof fetch
}

export async function validateManifests(opts: ValidateOptions): Promise<ValidationReport> {
  const validator = new SchemaValidator({kubernetesVersion: opts.kubernetesVersion, strict: opts.strict ?? false})
  const inputProblems: InputProblem[] = []

  const read = await readManifests(opts.inputs, {recursive: opts.recursive, stdin: opts.stdin, strict: opts.strict, fetch: opts.fetch})
  for (const p of read.problems) inputProblems.push(toInputProblem(p))

  for (const location of opts.schemaLocations ?? []) {
    inputProblems.push(...(await loadSchemaLocation(validator, location)))
  }
  for (const doc of read.objects) {
    if (isCustomResourceDefinition(doc.object)) validator.addCustomResourceDefinition(doc.object)
  }

  const skip = kindMatcher(opts.skip ?? [])
  const reject = kindMatcher(opts.reject ?? [])
  const resources: ResourceReport[] = []
  const problemsByResource: Problem[][] = []
  for (const doc of read.objects) {
    const report = baseReport(doc)
    const problems: Problem[] = []
    if (skip(report.apiVersion, report.kind)) {
      report.status = 'skipped'
      report.reason = 'kind skipped (--skip)'
    } else if (reject(report.apiVersion, report.kind)) {
      problems.push(problem(['kind'], 'Forbidden', `${report.kind} is rejected (--reject)`))
    } else {
      const outcome = validateOne(validator, doc.object, opts.ignoreMissingSchemas ?? false)
      if (outcome === 'skipped') {
        report.status = 'skipped'
        report.reason = `no schema for ${report.kind} in ${report.apiVersion} (--ignore-missing-schemas)`
      } else problems.push(...outcome)
    }
    resources.push(report)
    problemsByResource.push(problems)
  }

  const crossWarnings = crossObjectWarnings(read.objects.map((d) => d.object), {checkReferences: opts.checkReferences ?? false})
  for (const [index, warnings] of crossWarnings) problemsByResource[index].push(...warnings)

  for (let i = 0; i < resources.length; i++) {
    const r = resources[i]
    for (const p of problemsByResource[i]) {
      const finding = toFinding(read.objects[i], p)
      if (p.severity === 'warning') r.warnings.push(finding)
      else r.errors.push(finding)
    }
    // Top to bottom, as a reader goes through the file (stable: same-line problems keep their order).
    r.errors.sort((a, b) => a.line - b.line)
    r.warnings.sort((a, b) => a.line - b.line)
    if (r.status === 'skipped') continue
    const noSchema = problemsByResource[i].some((p) => p.type === 'No schema')
    r.status = noSchema ? 'error' : r.errors.length > 0 || (opts.warningsAsErrors && r.warnings.length > 0) ? 'invalid' : 'valid'
  }

  if (read.objects.length === 0 && inputProblems.every((p) => p.severity === 'warning')) {
    inputProblems.push({source: opts.inputs.map((i) => (i === '-' ? 'STDIN' : i)).join(', '), message: 'no objects passed to validate', severity: 'error', unreadable: false})
  }

  const files = new Set([...read.objects.map((o) => o.source), ...read.problems.map((p) => p.source)])
  const summary = {
    files: files.size,
    resources: resources.length,
    valid: resources.filter((r) => r.status === 'valid').length,
    invalid: resources.filter((r) => r.status === 'invalid').length,
    errors: resources.filter((r) => r.status === 'error').length + inputProblems.filter((p) => p.severity === 'error').length,
    skipped: resources.filter((r) => r.status === 'skipped').length,
    warnings: resources.reduce((n, r) => n + r.warnings.length, 0) + inputProblems.filter((p) => p.severity === 'warning').length,
  }
  const unreadable = inputProblems.some((p) => p.unreadable)
  const failed =
    summary.invalid > 0 || summary.errors > 0 || (opts.warningsAsErrors === true && summary.warnings > 0)
  return {kubernetesVersion: opts.kubernetesVersion, resources, inputProblems, summary, exitCode: unreadable ? 2 : failed ? 1 : 0}
}

/** Validates one object: removed APIs, schema, then the apiserver's semantic checks. */
export function validateOne(validator: SchemaValidator, obj: Record<string, unknown>, ignoreMissingSchemas: boolean): Problem[] | 'skipped' {
  const apiVersion = String(obj.apiVersion)
  const kind = String(obj.kind)
  const removed = validator.registry.removedApi(apiVersion, kind)
  if (removed && !validator.hasSchema(apiVersion, kind)) {
    const instead = removed.replacement ? `; use apiVersion "${removed.replacement}" instead` : ' and has no replacement'
    return [problem(['apiVersion'], 'Removed API', `${kind} in apiVersion "${apiVersion}" was removed in Kubernetes ${removed.removedIn}${instead}`)]
  }
  const result = validator.validate(obj)
  if (!result.known) {
    if (ignoreMissingSchemas) return 'skipped'
    return [problem([], 'No schema', missingSchemaMessage(validator, apiVersion, kind))]
  }
  // Semantic checks assume the shapes the schema promises; run them only on well-typed objects.
  const typeProblems = result.problems.some((p) => p.type === 'Invalid value' && /must be of type/.test(p.detail ?? ''))
  const semantic = typeProblems ? [] : checkObject(obj, {kubernetesVersion: validator.registry.kubernetesVersion, namespaced: validator.isNamespaced(apiVersion, kind)})
  return [...result.problems, ...semantic]
}

function missingSchemaMessage(validator: SchemaValidator, apiVersion: string, kind: string): string {
  const k8s = validator.registry.kubernetesVersion
  const servedElsewhere = validator.registry.resources.filter((r) => r.kind === kind).map((r) => (r.group ? `${r.group}/${r.version}` : r.version))
  if (servedElsewhere.length > 0) {
    return `no kind "${kind}" is registered for version "${apiVersion}" in Kubernetes ${k8s} (served as: ${[...new Set(servedElsewhere)].join(', ')})`
  }
  return `could not find a schema for ${kind} in "${apiVersion}" (Kubernetes ${k8s}); add its CustomResourceDefinition to the inputs or to --schema-location, or pass --ignore-missing-schemas`
}

function baseReport(doc: ManifestObject): ResourceReport {
  const o = doc.object
  const meta = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}) as Record<string, unknown>
  const name = typeof meta.name === 'string' && meta.name ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '<no name>'
  const report: ResourceReport = {
    source: doc.source,
    line: doc.line,
    documentIndex: doc.documentIndex,
    apiVersion: String(o.apiVersion),
    kind: String(o.kind),
    name,
    status: 'valid',
    errors: [],
    warnings: [],
  }
  if (doc.itemIndex !== undefined) report.itemIndex = doc.itemIndex
  if (typeof meta.namespace === 'string') report.namespace = meta.namespace
  return report
}

function toFinding(doc: ManifestObject, p: Problem): Finding {
  const fullPath: Path = doc.itemPath ? [...doc.itemPath, ...p.path] : p.path
  return {field: formatPath(p.path), line: locateLine(doc, fullPath), message: describeProblem(p)}
}

function toInputProblem(p: {source: string; line?: number; message: string; kind: string}): InputProblem {
  const severity = p.kind === 'empty' ? 'warning' : 'error'
  const unreadable = p.kind === 'unreadable' || p.kind === 'binary'
  const message = p.kind === 'yaml' ? `malformed YAML: ${p.message}` : p.message
  const out: InputProblem = {source: p.source, message, severity, unreadable}
  if (p.line !== undefined) out.line = p.line
  return out
}

function kindMatcher(patterns: string[]): (apiVersion: string, kind: string) => boolean {
  const set = new Set(patterns.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean))
  if (set.size === 0) return () => false
  return (apiVersion, kind) => set.has(kind) || set.has(`${apiVersion}/${kind}`)
}

/** --schema-location: a file or directory of CRDs (YAML or JSON) and JSON Schema files. */
async function loadSchemaLocation(validator: SchemaValidator, location: string): Promise<InputProblem[]> {
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
    if (ext === '.json') {
      let parsed: unknown
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'))
      } catch (e) {
        problems.push({source: file, message: `cannot read schema: ${(e as Error).message}`, severity: 'error', unreadable: true})
        continue
      }
      const obj = parsed as Record<string, unknown>
      if (isCustomResourceDefinition(obj)) validator.addCustomResourceDefinition(obj)
      else {
        const schemas = jsonSchemaFileToSchemas(obj, basename(file), basename(dirname(file)))
        if (schemas.length === 0) {
          problems.push({source: file, message: 'cannot tell which kind this JSON Schema is for: name it {kind}-{group}-{version}.json or {group}/{kind}_{version}.json, or add x-kubernetes-group-version-kind', severity: 'error', unreadable: true})
        }
        for (const s of schemas) validator.addCustomResourceSchema(s)
      }
    } else if (ext === '.yaml' || ext === '.yml') {
      const read = await readManifests([file], {})
      for (const p of read.problems) if (p.kind !== 'empty') problems.push({...toInputProblem(p), unreadable: true})
      for (const doc of read.objects) if (isCustomResourceDefinition(doc.object)) validator.addCustomResourceDefinition(doc.object)
    }
  }
  return problems
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
