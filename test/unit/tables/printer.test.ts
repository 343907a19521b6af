// printTable against text a real kubectl printed for the same Tables, plus the tabwriter rules and
// the "No resources found" messages.
import {strict as assert} from 'node:assert'
import {labelColumnHeader, noResourcesMessage, printTable, tabwrite} from '../../../src/print/table.js'
import {table} from './helpers.js'
import {PRINTER_CASES, optionsFor} from './printer-cases.js'

const plain = {wide: false, noHeaders: false, withNamespace: false, showLabels: false, labelColumns: []}

describe('print/table', () => {
  describe('matches kubectl byte for byte', () => {
    for (const c of PRINTER_CASES) {
      it(`kubectl get ${c.resource} ${c.flags.join(' ')} (${c.title})`, () => assert.equal(printTable(c.table, optionsFor(c)), c.expected))
    }
  })

  it('prints nothing for a table without rows, headers or not', () => {
    const empty = table('Pod', '', [])
    assert.equal(printTable(empty, plain), '')
    assert.equal(printTable(empty, {...plain, noHeaders: true}), '')
  })

  it('prefixes names with kind.group when several kinds are printed together', () => {
    const t = table('Deployment', 'apps', [{metadata: {name: 'web'}, spec: {replicas: 1}, status: {}}])
    const out = printTable(t, {...plain, namePrefix: 'deployment.apps/'})
    assert.equal(out.split('\n')[1]!.split(' ')[0], 'deployment.apps/web')
    const pods = table('Pod', '', [{metadata: {name: 'p'}, spec: {containers: []}, status: {}}])
    assert.match(printTable(pods, {...plain, namePrefix: 'pod/'}), /\npod\/p /)
  })

  it('the prefix goes to the name-formatted column, not the first one (events)', () => {
    const t = table('Event', '', [{metadata: {name: 'e1'}, involvedObject: {kind: 'Pod', name: 'p'}, reason: 'Pulled', message: 'ok', type: 'Normal', count: 1}])
    const out = printTable(t, {...plain, wide: true, namePrefix: 'event/'})
    assert.match(out, / event\/e1\n$/)
  })

  it('puts a CREATED AT column of the generic table through unchanged', () => {
    const t = table('Role', 'rbac.authorization.k8s.io', [{metadata: {name: 'reader', creationTimestamp: '2024-05-01T08:30:00Z'}}])
    assert.equal(printTable(t, plain), 'NAME     CREATED AT\nreader   2024-05-01T08:30:00Z\n')
  })

  it('a single-column table has no padding at all', () => {
    const t = {...table('Role', 'rbac.authorization.k8s.io', []), columnDefinitions: [{name: 'Name', type: 'string', format: 'name', description: '', priority: 0}]}
    t.rows = [{cells: ['a'], object: null}, {cells: ['bbbbbbbb'], object: null}]
    assert.equal(printTable(t, plain), 'NAME\na\nbbbbbbbb\n')
  })

  describe('label column headers', () => {
    const cases: Array<[string, string]> = [
      ['app', 'APP'],
      ['app.kubernetes.io/name', 'NAME'],
      ['example.com/a/b', 'B'],
      ['tier-Level', 'TIER-LEVEL'],
    ]
    for (const [key, want] of cases) it(`${key} → ${want}`, () => assert.equal(labelColumnHeader(key), want))
  })

  describe('tabwrite', () => {
    it('pads each column to its widest cell plus 3, with a minimum width of 6', () => {
      assert.equal(tabwrite('A\tB\tC\nxx\tyyyyyyy\tz\n'), 'A     B         C\nxx    yyyyyyy   z\n')
    })
    it('does not pad the last cell of a line', () => {
      assert.equal(tabwrite('a\tbbbbbbbbbb\na\tb\n'), 'a     bbbbbbbbbb\na     b\n')
    })
    it('counts code points, not bytes or display width', () => {
      assert.equal(tabwrite('名前\tx\nab\ty\n'), '名前    x\nab    y\n')
    })
    it('a column only spans consecutive lines that have it', () => {
      const text = 'a\tbbbbbbbbbb\tc\nd\te\nf\tg\th\n'
      const independent = {minWidth: 6, padding: 3, padChar: ' ', rememberWidths: false}
      assert.equal(tabwrite(text, independent), 'a     bbbbbbbbbb   c\nd     e\nf     g     h\n')
      // kubectl's writer remembers the widest block of each column.
      assert.equal(tabwrite(text), 'a     bbbbbbbbbb   c\nd     e\nf     g            h\n')
    })
    it('keeps widths across flushes (RememberWidths)', () => {
      // The single-cell middle line flushes; the last block still uses the first block's width.
      assert.equal(tabwrite('aaaaaaaaaa\tb\nsingle\nd\te\n'), 'aaaaaaaaaa   b\nsingle\nd            e\n')
    })
    it('text without a trailing newline stays on its line', () => {
      assert.equal(tabwrite('a\tb\nc\td'), 'a     b\nc     d')
    })
  })

  describe('noResourcesMessage', () => {
    it('names the namespace', () => assert.equal(noResourcesMessage('default'), 'No resources found in default namespace.'))
    it('names other namespaces', () => assert.equal(noResourcesMessage('kube-system'), 'No resources found in kube-system namespace.'))
    it('says nothing more for all namespaces or cluster-scoped resources', () => assert.equal(noResourcesMessage(undefined), 'No resources found'))
  })
})
