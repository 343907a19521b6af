// custom-columns against output captured from the real kubectl 1.32 `get` (the only command with this
// printer) talking to the kube2 emulator: scripts/capture/custom-columns.mjs creates
// fixtures/print/pod.yaml and configmaps.yaml, runs each case, and stores the objects as kubectl
// read them (`-o json`) with stdout, stderr and exit status in fixtures/custom-columns-kubectl.json.
import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {
  CustomColumnsError,
  parseCustomColumns,
  parseCustomColumnsFile,
  printCustomColumns,
} from '../../../src/print/custom-columns.js'

interface CapturedCase {
  args: string[]
  stdout: string
  stderr: string
  status: number
}

const root = new URL('../../../', import.meta.url)
const captured = JSON.parse(readFileSync(new URL('../../../fixtures/print/custom-columns-kubectl.json', import.meta.url), 'utf8')) as {
  objects: {pod: unknown; configmaps: unknown[]}
  cases: CapturedCase[]
}

/** The objects `kubectl get <args>` printed. */
function objectsOf(args: string[]): unknown[] {
  if (args[0] === 'pod') return [captured.objects.pod]
  return args.includes('fixture=print') ? captured.objects.configmaps : []
}

function kube2(args: string[]): {stdout: string; stderr: string; status: number} {
  const output = args.find((a) => a.startsWith('-o='))!.slice(3)
  try {
    const columns = output.startsWith('custom-columns-file=')
      ? parseCustomColumnsFile(readFileSync(new URL(output.slice('custom-columns-file='.length), root), 'utf8'))
      : parseCustomColumns(output.slice('custom-columns='.length))
    const stdout = printCustomColumns(columns, objectsOf(args), {noHeaders: args.includes('--no-headers')})
    return {stdout, stderr: '', status: 0}
  } catch (error) {
    if (!(error instanceof CustomColumnsError)) throw error
    return {stdout: error.output, stderr: `error: ${error.message}\n`, status: 1}
  }
}

describe('custom-columns: output of the real kubectl get', () => {
  for (const c of captured.cases) {
    it(c.args.join(' '), () => {
      assert.deepEqual(kube2(c.args), {stdout: c.stdout, stderr: c.stderr, status: c.status})
    })
  }
})

describe('custom-columns: specs', () => {
  it('keeps everything after the first colon as the path', () => {
    const [col] = parseCustomColumns('TIME:.metadata.annotations.a:b')
    assert.equal(col!.header, 'TIME')
    assert.equal(col!.fieldSpec, '{.metadata.annotations.a:b}')
  })

  it('rejects an empty spec and a file without a spec line', () => {
    assert.throws(() => parseCustomColumns(''), /^CustomColumnsError: custom-columns format specified but no custom columns given$/)
    assert.throws(() => parseCustomColumnsFile('NAME\n'), /invalid template, missing spec line\./)
    assert.throws(() => parseCustomColumnsFile(''), /invalid template, missing header line\./)
  })

  it('joins several results with commas and prints a scalar per object', () => {
    const cols = parseCustomColumns('N:.n,V:.v[*]')
    const out = printCustomColumns(cols, [{n: 'a', v: [1, 2.5, true]}, {n: 'b', v: []}], {noHeaders: true})
    // Cells are padded to kubectl's minimum width of 6 (with the padding of 3 included).
    assert.equal(out, 'a     1,2.5,true\nb     <none>\n')
  })
})
