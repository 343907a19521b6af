// `kube2 emulate status`: whether the emulator server of a state directory runs, where, and whether
// it is ready. Exits 0 when it runs and is ready, 1 otherwise (for scripts).
import {Flags} from '@oclif/core'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {BaseCommand} from '../../cli/base-command.js'
import {clusterStateDir} from '../../emulator/state-dir.js'
import {adminGet, runningServer} from '../../ops/emulate.js'

export default class EmulateStatus extends BaseCommand<typeof EmulateStatus> {
  static override summary = 'Show whether the emulator server runs, its URL and readiness'
  static override examples = ['<%= config.bin %> emulate status']

  static override flags = {
    'state-dir': Flags.string({description: 'Directory of the cluster\'s state (default $KUBE2_HOME/clusters/default)'}),
  }

  public async run(): Promise<void> {
    const dir = this.flags['state-dir'] ?? clusterStateDir()
    const info = runningServer(dir)
    if (!info) {
      const has = existsSync(join(dir, 'state.db'))
      this.log(`kube2 emulator: stopped\nState dir:  ${dir}${has ? '' : ' (no cluster yet)'}`)
      return this.exit(1)
    }
    const ready = await adminGet(dir, info.url, '/readyz')
    const version = await adminGet(dir, info.url, '/version')
    let gitVersion = ''
    try {
      gitVersion = version?.status === 200 ? String((JSON.parse(version.text) as {gitVersion?: string}).gitVersion ?? '') : ''
    } catch {
      gitVersion = ''
    }
    const rows = [
      ['kube2 emulator:', ready?.status === 200 ? 'running' : 'running (not ready)'],
      ['URL:', info.url],
      ['PID:', String(info.pid)],
      ['State dir:', dir],
      ...(gitVersion ? [['Kubernetes:', gitVersion]] : []),
      ['Started:', info.startedAt],
    ]
    const width = Math.max(...rows.map((r) => r[0]!.length)) + 1
    this.log(rows.map(([k, v]) => `${k!.padEnd(width)}${v}`).join('\n'))
    if (ready?.status !== 200) return this.exit(1)
  }
}
