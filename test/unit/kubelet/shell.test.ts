// Following simple container commands: echo, sleep, exit, counters and `while true` loops.
import {strict as assert} from 'node:assert'
import {cDate, scriptPlan, splitStatements} from '../../../src/kubelet/shell.js'
import {drive, exact, makePod, T0} from './helpers.js'

const plan = (command: string[], args?: string[], env?: Array<Record<string, string>>) => scriptPlan({name: 'c', command, ...(args ? {args} : {}), ...(env ? {env} : {})}, 'my-pod')

describe('kubelet: container commands', () => {
  it('splits statements outside quotes and $( )', () => {
    assert.deepEqual(splitStatements(`a=1; echo "x; y" && echo $(date; true)\nsleep 1`), ['a=1', 'echo "x; y"', 'echo $(date; true)', 'sleep 1'])
    assert.equal(splitStatements('cat /etc/hosts | grep x'), undefined)
    assert.equal(splitStatements('echo "unterminated'), undefined)
  })

  it('follows echo, sleep and exit', () => {
    const p = plan(['sh', '-c', 'echo start; sleep 2; echo "done now"; exit 4'])!
    assert.deepEqual(p.prefix.map((l) => [l.offsetMs, l.text(0)]), [[0, 'start'], [2000, 'done now']])
    assert.equal(p.endMs, 2000)
    assert.equal(p.exitCode, 4)
  })

  it('runs a bare sleep, and forever with sleep infinity or tail -f /dev/null', () => {
    assert.equal(plan(['sleep', '3600'])!.endMs, 3_600_000)
    assert.equal(plan(['sleep', '1h'])!.endMs, 3_600_000)
    assert.equal(plan(['sh', '-c', 'echo up && sleep infinity'])!.endMs, undefined)
    assert.equal(plan(['tail', '-f', '/dev/null'])!.endMs, undefined)
  })

  it('expands literal env, HOSTNAME and $(date)', () => {
    const p = plan(['/bin/sh', '-c'], ['echo "$GREETING from $HOSTNAME at $(date)"; echo \'$HOSTNAME\''], [{name: 'GREETING', value: 'hi'}])!
    assert.equal(p.prefix[0].text(T0), `hi from my-pod at ${cDate(T0)}`)
    assert.equal(p.prefix[1].text(T0), '$HOSTNAME')
    assert.equal(cDate(T0 + 1000), 'Thu Jan  1 00:00:01 UTC 2026')
  })

  it('follows the counter loop of the logging docs', () => {
    const p = plan(['/bin/sh', '-c', 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'])!
    assert.equal(p.endMs, undefined)
    assert.deepEqual([p.loop!.startMs, p.loop!.periodMs], [0, 1000])
    assert.equal(p.loop!.lines(41)[0].text(T0), `41: ${cDate(T0)}`)
  })

  it('leaves alone what it cannot follow', () => {
    assert.equal(plan(['nginx', '-g', 'daemon off;']), undefined)
    assert.equal(plan(['sh', '-c', 'while true; do echo spin; done']), undefined, 'a loop without sleep')
    assert.equal(plan(['sh', '-c', 'python app.py']), undefined)
    assert.equal(plan(['sh', '-c', 'echo a > /tmp/x']), undefined)
  })

  it('writes a looping command\'s lines to the log as time passes', () => {
    const r = drive(makePod({name: 'counter', containers: [{name: 'count', image: 'busybox:1.36', args: ['/bin/sh', '-c', 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done']}]}), 6000, {profile: exact})
    assert.deepEqual(r.logs.map((l) => [l.at.getTime() - T0, l.line]), [
      [2220, '0: Thu Jan  1 00:00:02 UTC 2026'],
      [3220, '1: Thu Jan  1 00:00:03 UTC 2026'],
      [4220, '2: Thu Jan  1 00:00:04 UTC 2026'],
      [5220, '3: Thu Jan  1 00:00:05 UTC 2026'],
    ])
  })
})
