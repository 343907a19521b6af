// Prints a validation report as text (one `FILE:LINE: Kind/name: field: problem` line each), JSON,
// JUnit XML or TAP. Pure functions from report to string; the command decides where it goes.
import type {Finding, InputProblem, ResourceReport, ValidationReport, ValidationSummary} from '../ops/validate/types.js'

export type ValidationFormat = 'text' | 'json' | 'junit' | 'tap'
export const VALIDATION_FORMATS: ValidationFormat[] = ['text', 'json', 'junit', 'tap']

export interface TextStyle {
  error: (s: string) => string
  warning: (s: string) => string
  dim: (s: string) => string
}

const PLAIN: TextStyle = {error: (s) => s, warning: (s) => s, dim: (s) => s}

export function formatValidationReport(report: ValidationReport, format: ValidationFormat, opts: {summary?: boolean; style?: TextStyle} = {}): string {
  switch (format) {
    case 'json':
      return JSON.stringify(toJsonDocument(report), null, 2) + '\n'
    case 'junit':
      return formatJunit(report)
    case 'tap':
      return formatTap(report)
    default:
      return formatText(report, opts.summary ?? false, opts.style ?? PLAIN)
  }
}

function resourceLabel(r: ResourceReport): string {
  return `${r.kind}/${r.name}`
}

function findingText(f: Finding): string {
  return f.field ? `${f.field}: ${f.message}` : f.message
}

function inputProblemText(p: InputProblem): string {
  return p.line !== undefined ? `${p.source}:${p.line}: ${p.message}` : `${p.source}: ${p.message}`
}

function formatText(report: ValidationReport, summary: boolean, style: TextStyle): string {
  const lines: string[] = []
  for (const p of report.inputProblems) {
    lines.push(p.severity === 'warning' ? style.warning(`${inputProblemText(p).replace(/^([^:]+(?::\d+)?): /, '$1: warning: ')}`) : style.error(inputProblemText(p)))
  }
  for (const r of report.resources) {
    for (const e of r.errors) lines.push(style.error(`${r.source}:${e.line}: ${resourceLabel(r)}: ${findingText(e)}`))
    for (const w of r.warnings) lines.push(style.warning(`${r.source}:${w.line}: warning: ${resourceLabel(r)}: ${findingText(w)}`))
  }
  if (summary) lines.push(style.dim(summaryLine(report.summary)))
  return lines.length > 0 ? lines.join('\n') + '\n' : ''
}

export function summaryLine(s: ValidationSummary): string {
  const files = `${s.files} file${s.files === 1 ? '' : 's'}`
  return `Summary: ${s.resources} resource${s.resources === 1 ? '' : 's'} found in ${files} - Valid: ${s.valid}, Invalid: ${s.invalid}, Errors: ${s.errors}, Skipped: ${s.skipped}, Warnings: ${s.warnings}`
}

/** The documented `-o json` document (see README: "validate -o json"). */
function toJsonDocument(report: ValidationReport): unknown {
  return {
    kubernetesVersion: report.kubernetesVersion,
    resources: report.resources.map((r) => ({
      source: r.source,
      line: r.line,
      apiVersion: r.apiVersion,
      kind: r.kind,
      name: r.name,
      ...(r.namespace !== undefined ? {namespace: r.namespace} : {}),
      status: r.status,
      ...(r.reason ? {reason: r.reason} : {}),
      errors: r.errors,
      warnings: r.warnings,
    })),
    inputProblems: report.inputProblems.map((p) => ({source: p.source, ...(p.line !== undefined ? {line: p.line} : {}), severity: p.severity, message: p.message})),
    summary: report.summary,
  }
}

function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;'})[c]!)
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
}

function formatJunit(report: ValidationReport): string {
  const bySource = new Map<string, {resources: ResourceReport[]; problems: InputProblem[]}>()
  const entry = (s: string) => {
    if (!bySource.has(s)) bySource.set(s, {resources: [], problems: []})
    return bySource.get(s)!
  }
  for (const r of report.resources) entry(r.source).resources.push(r)
  for (const p of report.inputProblems) entry(p.source).problems.push(p)
  const s = report.summary
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>']
  const total = report.resources.length + report.inputProblems.length
  out.push(`<testsuites name="kube2 validate" tests="${total}" failures="${s.invalid}" errors="${s.errors}" skipped="${s.skipped}">`)
  for (const [source, {resources, problems}] of bySource) {
    const failures = resources.filter((r) => r.status === 'invalid').length
    const errors = resources.filter((r) => r.status === 'error').length + problems.filter((p) => p.severity === 'error').length
    const skipped = resources.filter((r) => r.status === 'skipped').length
    out.push(`  <testsuite name="${xml(source)}" tests="${resources.length + problems.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`)
    for (const p of problems) {
      out.push(`    <testcase classname="${xml(source)}" name="${xml(`${source}${p.line !== undefined ? `:${p.line}` : ''}`)}">`)
      if (p.severity === 'error') out.push(`      <error message="${xml(p.message)}" type="input"></error>`)
      else out.push(`      <system-out>${xml(`warning: ${p.message}`)}</system-out>`)
      out.push('    </testcase>')
    }
    for (const r of resources) {
      out.push(`    <testcase classname="${xml(source)}" name="${xml(`${resourceLabel(r)} (line ${r.line})`)}">`)
      const body = r.errors.map((e) => `${source}:${e.line}: ${findingText(e)}`).join('\n')
      if (r.status === 'invalid') out.push(`      <failure message="${xml(r.errors[0] ? findingText(r.errors[0]) : 'invalid')}" type="invalid">${xml(body || r.warnings.map(findingText).join('\n'))}</failure>`)
      else if (r.status === 'error') out.push(`      <error message="${xml(r.errors[0] ? findingText(r.errors[0]) : 'error')}" type="error">${xml(body)}</error>`)
      else if (r.status === 'skipped') out.push(`      <skipped message="${xml(r.reason ?? 'skipped')}"></skipped>`)
      if (r.warnings.length > 0) out.push(`      <system-out>${xml(r.warnings.map((w) => `warning: ${source}:${w.line}: ${findingText(w)}`).join('\n'))}</system-out>`)
      out.push('    </testcase>')
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return out.join('\n') + '\n'
}

function yamlString(s: string): string {
  return JSON.stringify(s)
}

function formatTap(report: ValidationReport): string {
  const out: string[] = ['TAP version 13']
  const total = report.inputProblems.length + report.resources.length
  out.push(`1..${total}`)
  let n = 0
  for (const p of report.inputProblems) {
    n++
    const where = p.line !== undefined ? `${p.source}:${p.line}` : p.source
    if (p.severity === 'error') {
      out.push(`not ok ${n} - ${where}`, '  ---', `  message: ${yamlString(p.message)}`, '  ...')
    } else out.push(`ok ${n} - ${where} # ${p.message.replace(/#/g, '\\#')}`)
  }
  for (const r of report.resources) {
    n++
    const desc = `${r.source}:${r.line} ${resourceLabel(r)}`
    if (r.status === 'skipped') {
      out.push(`ok ${n} - ${desc} # SKIP ${(r.reason ?? '').replace(/#/g, '\\#')}`)
      continue
    }
    const ok = r.status === 'valid'
    out.push(`${ok ? 'ok' : 'not ok'} ${n} - ${desc}`)
    if (r.errors.length > 0 || r.warnings.length > 0) {
      out.push('  ---')
      if (r.errors.length > 0) {
        out.push('  errors:')
        for (const e of r.errors) out.push(`    - ${yamlString(`${r.source}:${e.line}: ${findingText(e)}`)}`)
      }
      if (r.warnings.length > 0) {
        out.push('  warnings:')
        for (const w of r.warnings) out.push(`    - ${yamlString(`${r.source}:${w.line}: ${findingText(w)}`)}`)
      }
      out.push('  ...')
    }
  }
  return out.join('\n') + '\n'
}
