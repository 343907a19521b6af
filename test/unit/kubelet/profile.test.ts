// Kubelet profiles: the default loads complete, user profiles layer over it, and mistakes are
// reported with file:line and the offending field named.
import {strict as assert} from 'node:assert'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadPodProfile, parsePodProfile, ProfileError} from '../../../src/kubelet/profile-load.js'
import {resolveImageRule} from '../../../src/kubelet/behaviour.js'

function problem(text: string): string {
  try {
    parsePodProfile(text, 'mine.yaml')
  } catch (err) {
    assert.ok(err instanceof ProfileError)
    return err.message
  }
  assert.fail('expected a ProfileError')
}

describe('kubelet: profiles', () => {
  it('loads the default profile with every section', () => {
    const p = loadPodProfile()
    assert.equal(p.source, 'default')
    assert.equal(p.backOff.initialSeconds, 10)
    assert.equal(p.backOff.maxSeconds, 300)
    assert.equal(p.run.jobSeconds, 5)
    assert.deepEqual(Object.keys(p.logs).sort(), ['generic', 'nginx', 'redis', 'silent'])
    assert.equal(p.node.capacity.pods, '110')
  })

  it('layers a partial profile over the default: sections merge, image rules come first', () => {
    const p = parsePodProfile('timing:\n  pullSeconds: 9\nimages:\n  - match: ["nginx*"]\n    simulate: crashloop\n', 'mine.yaml')
    assert.equal(p.timing.pullSeconds, 9)
    assert.equal(p.timing.sandboxSeconds, 1)
    assert.equal(p.source, 'mine.yaml')
    assert.equal(resolveImageRule(p, 'nginx:1.27').simulate, 'crashloop')
    // Fields the user's rule does not set still come from the default rules.
    assert.equal(resolveImageRule(p, 'nginx:1.27').logs, 'nginx')
  })

  it('names an unknown field with its line and the known ones', () => {
    assert.equal(
      problem('timing:\n  sandboxSeconds: 1\n  pullSecnds: 3\n'),
      'mine.yaml:3: timing.pullSecnds: unknown field "pullSecnds" (known: sandboxSeconds, pullSeconds, cachedPullSeconds, pullFailSeconds, createSeconds, startSeconds, syncSeconds, resyncSeconds, jitter)',
    )
  })

  it('reports wrong types and ranges', () => {
    assert.equal(problem('backOff:\n  maxSeconds: soon\n'), 'mine.yaml:2: backOff.maxSeconds: must be a number, got "soon"')
    assert.equal(problem('run:\n  jobSeconds: -1\n'), 'mine.yaml:2: run.jobSeconds: must be at least 0, got -1')
    assert.equal(problem('images:\n  - match: ["x"]\n    simulate: explode\n'), 'mine.yaml:3: images[0].simulate: must be one of none, crashloop, imagepullbackoff, oomkilled, fail, unready; got "explode"')
    assert.equal(problem('node:\n  capacity:\n    cpu: lots\n'), `mine.yaml:3: node.capacity.cpu: invalid quantity "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`)
  })

  it('requires match in an image rule and lists every problem', () => {
    const msg = problem('images:\n  - simulate: fail\nstop:\n  seconds: x\n')
    assert.deepEqual(msg.split('\n'), ['mine.yaml:2: images[0].match: required field is missing', 'mine.yaml:4: stop.seconds: must be a number, got "x"'])
  })

  it('points at the line and column of a YAML syntax error', () => {
    assert.match(problem('timing:\n  pullSeconds: [1, 2\nrun: {}\n'), /^mine\.yaml:3:\d+: /)
  })

  it('rejects a rule naming a log profile that does not exist', () => {
    assert.equal(problem('images:\n  - match: ["x*"]\n    logs: apache\n'), 'mine.yaml:3: images[0].logs: no log profile named "apache" (known: silent, generic, nginx, redis)')
  })

  it('accepts new log profiles and fills their missing parts', () => {
    const p = parsePodProfile('logs:\n  apache:\n    start: ["AH00558: apache2 started"]\nimages:\n  - match: ["httpd*"]\n    logs: apache\n', 'mine.yaml')
    assert.deepEqual(p.logs.apache, {start: ['AH00558: apache2 started'], every: 0, periodic: [], crash: [], stop: []})
  })

  it('reads a profile from a file, and says so when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube2-profile-'))
    const file = join(dir, 'p.yaml')
    writeFileSync(file, 'run:\n  jobSeconds: 1\n')
    assert.equal(loadPodProfile(file).run.jobSeconds, 1)
    assert.throws(() => loadPodProfile(join(dir, 'missing.yaml')), (e: Error) => e instanceof ProfileError && e.message === `${join(dir, 'missing.yaml')}: cannot read kubelet profile (ENOENT)`)
  })

  it('treats an empty file as the default profile', () => {
    assert.deepEqual(parsePodProfile('', 'empty.yaml').timing, loadPodProfile().timing)
  })
})
