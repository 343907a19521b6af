// Validates a set of inputs: reads and parses them, registers the CRDs among them, validates each
// object, and returns reports plus the small facts the cross-object checks need (small, so the
// documents themselves are kept only where a warning may need a line).
import {readEntries, locateLine, type InputEntry, type ManifestObject} from '../../manifest/index.js'
import type {SchemaValidator} from '../../schema/validator.js'
import {isCustomResourceDefinition} from '../../schema/crd.js'
import {checkObject} from '../../schema/semantic/index.js'
import {objectFacts, type ObjectFacts} from '../../schema/semantic/references.js'
import {describeProblem, formatPath, problem, type Path, type Problem} from '../../schema/problems.js'
import type {Finding, InputProblem, ResourceReport} from './types.js'

export interface PassOptions {
  kubernetesVersion: string
  strict: boolean
  ignoreMissingSchemas: boolean
  skip: string[]
  reject: string[]
  checkReferences: boolean
}

/** Enough of a document to place a field path on a line (what locateLine reads). */
export type DocLocator = Pick<ManifestObject, 'text' | 'lineOffset' | 'line' | 'itemPath'>

export interface PassResult {
  resources: ResourceReport[]
  facts: ObjectFacts[]
  /** Per resource: its document, kept only where a cross-object warning may need a line. */
  locators: Array<DocLocator | undefined>
  crds: Array<Record<string, unknown>>
  inputProblems: InputProblem[]
  sources: string[]
}

export interface PassIO {
  stdin?: NodeJS.ReadableStream
  fetch?: typeof fetch
  /** The validator to use, already holding any --schema-location schemas. */
  validator: SchemaValidator
}

export async function validatePass(entries: InputEntry[], opts: PassOptions, io: PassIO): Promise<PassResult> {
  const validator = io.validator
  const read = await readEntries(entries, {stdin: io.stdin, strict: opts.strict, fetch: io.fetch})
  const crds = read.objects.filter((d) => isCustomResourceDefinition(d.object)).map((d) => d.object)
  for (const crd of crds) validator.addCustomResourceDefinition(crd)

  const skip = kindMatcher(opts.skip)
  const reject = kindMatcher(opts.reject)
  const result: PassResult = {
    resources: [],
    facts: [],
    locators: [],
    crds,
    inputProblems: read.problems.map(toInputProblem),
    sources: read.sources,
  }
  for (const doc of read.objects) {
    const report = baseReport(doc)
    if (skip(report.apiVersion, report.kind)) {
      report.status = 'skipped'
      report.reason = 'kind skipped (--skip)'
    } else if (reject(report.apiVersion, report.kind)) {
      addFindings(report, doc, [problem(['kind'], 'Forbidden', `${report.kind} is rejected (--reject)`)])
    } else {
      addFindings(report, doc, validateOne(validator, doc.object, opts.ignoreMissingSchemas) as Problem[])
    }
    const facts = objectFacts(doc.object, opts.checkReferences)
    result.resources.push(report)
    result.facts.push(facts)
    result.locators.push(facts.serviceSelector || facts.references?.length ? locatorOf(doc) : undefined)
  }
  return result
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
  const servedAs = [...new Set(validator.registry.resources.filter((r) => r.kind === kind).map((r) => (r.group ? `${r.group}/${r.version}` : r.version)))]
  if (servedAs.length > 0) return `no kind "${kind}" is registered for version "${apiVersion}" in Kubernetes ${k8s} (served as: ${servedAs.join(', ')})`
  return `could not find a schema for ${kind} in "${apiVersion}" (Kubernetes ${k8s}); add its CustomResourceDefinition to the inputs or to --schema-location, or pass --ignore-missing-schemas`
}

// Most resources have no findings: they all share this empty list until they get one.
const NONE: Finding[] = Object.freeze([]) as unknown as Finding[]

export function addFinding(report: ResourceReport, severity: 'error' | 'warning', finding: Finding): void {
  if (severity === 'warning') (report.warnings === NONE ? (report.warnings = []) : report.warnings).push(finding)
  else (report.errors === NONE ? (report.errors = []) : report.errors).push(finding)
}

/** Files a resource's problems as errors or warnings, each placed on its line. */
export function addFindings(report: ResourceReport, doc: DocLocator, problems: Problem[] | 'skipped'): void {
  if (problems === 'skipped') {
    report.status = 'skipped'
    report.reason = `no schema for ${report.kind} in ${report.apiVersion} (--ignore-missing-schemas)`
    return
  }
  for (const p of problems) {
    addFinding(report, p.severity, toFinding(doc, p))
    if (p.type === 'No schema') report.status = 'error'
  }
}

function locatorOf(doc: ManifestObject): DocLocator {
  const l: DocLocator = {text: doc.text, lineOffset: doc.lineOffset, line: doc.line}
  if (doc.itemPath) l.itemPath = doc.itemPath
  return l
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
    errors: NONE,
    warnings: NONE,
  }
  if (doc.itemIndex !== undefined) report.itemIndex = doc.itemIndex
  if (typeof meta.namespace === 'string') report.namespace = meta.namespace
  return report
}

export function toFinding(doc: DocLocator, p: Problem): Finding {
  const fullPath: Path = doc.itemPath ? [...doc.itemPath, ...p.path] : p.path
  return {field: formatPath(p.path), line: locateLine(doc, fullPath), message: describeProblem(p)}
}

export function toInputProblem(p: {source: string; line?: number; message: string; kind: string}): InputProblem {
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
