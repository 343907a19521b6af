// Table printers for admissionregistration.k8s.io: webhook configurations and admission policies
// with their bindings, after pkg/printers/internalversion/printers.go.
import {age, ageColumn, arr, column, goStringSlice, nameColumn, nameOf, obj, objs, sortGo, spec, str, strMap} from './helpers.js'
import type {KindPrinter, Obj} from './types.js'

const WEBHOOKS_DESCRIPTION = 'Webhooks indicates the number of webhooks registered in this configuration'

const webhookConfigurationPrinter: KindPrinter = {
  columns: [nameColumn(), column('Webhooks', 'integer', WEBHOOKS_DESCRIPTION), ageColumn()],
  row: (o, ctx) => ({cells: [nameOf(o), arr(o['webhooks']).length, age(o, ctx.now)]}),
}

function paramKind(sp: Obj): string {
  const pk = sp['paramKind']
  if (pk === undefined || pk === null) return '<unset>'
  return `${str(obj(pk)['apiVersion'])}/${str(obj(pk)['kind'])}`
}

/**
 * The generated (gogo-protobuf) String() of a metav1.LabelSelector, which is what the binding
 * printers show for a selector-based paramRef.
 */
function protoLabelSelectorString(selector: Obj): string {
  const labels = strMap(selector['matchLabels'])
  const mapText = sortGo(Object.keys(labels))
    .map((k) => `${k}: ${labels[k]},`)
    .join('')
  const exprs = objs(selector['matchExpressions'])
    .map((e) => `LabelSelectorRequirement{Key:${str(e['key'])},Operator:${str(e['operator'])},Values:${goStringSlice(e['values'])},},`)
    .join('')
  return `&LabelSelector{MatchLabels:map[string]string{${mapText}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`
}

function paramRef(sp: Obj): string {
  const pr = sp['paramRef']
  if (pr === undefined || pr === null) return '<unset>'
  const ref = obj(pr)
  const name = str(ref['name'])
  if (name !== '') {
    // A reference without a namespace may be cluster-scoped or per-namespace; upstream shows `*/`.
    const namespace = str(ref['namespace'])
    return namespace !== '' ? `${namespace}/${name}` : `*/${name}`
  }
  if (ref['selector'] !== undefined && ref['selector'] !== null) return protoLabelSelectorString(obj(ref['selector']))
  return '<unset>'
}

const PARAM_KIND_DESCRIPTION = 'ParamKind specifies the kind of resources used to parameterize this policy'

const validatingAdmissionPolicyPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Validations', 'integer', 'Validations indicates the number of validation rules defined in this configuration'),
    column('ParamKind', 'string', PARAM_KIND_DESCRIPTION),
    ageColumn(),
  ],
  row: (o, ctx) => ({cells: [nameOf(o), arr(spec(o)['validations']).length, paramKind(spec(o)), age(o, ctx.now)]}),
}

const mutatingAdmissionPolicyPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Mutations', 'integer', 'Mutation indicates the number of mutations rules defined in this configuration'),
    column('ParamKind', 'string', PARAM_KIND_DESCRIPTION),
    ageColumn(),
  ],
  row: (o, ctx) => ({cells: [nameOf(o), arr(spec(o)['mutations']).length, paramKind(spec(o)), age(o, ctx.now)]}),
}

const policyBindingPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
    column('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'),
    ageColumn(),
  ],
  row: (o, ctx) => ({cells: [nameOf(o), str(spec(o)['policyName']), paramRef(spec(o)), age(o, ctx.now)]}),
}

export const ADMISSION_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  MutatingWebhookConfiguration: webhookConfigurationPrinter,
  ValidatingWebhookConfiguration: webhookConfigurationPrinter,
  ValidatingAdmissionPolicy: validatingAdmissionPolicyPrinter,
  ValidatingAdmissionPolicyBinding: policyBindingPrinter,
  MutatingAdmissionPolicy: mutatingAdmissionPolicyPrinter,
  MutatingAdmissionPolicyBinding: policyBindingPrinter,
}
