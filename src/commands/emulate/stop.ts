// `kube2 emulate stop`: stops the emulator server of a state directory; the state is kept.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {clusterStateDir} from '../../emulator/state-dir.js'
import {stopServer} from '../../ops/emulate.js'

export default class EmulateStop extends BaseCommand<typeof EmulateStop> {
  static override summary = 'Stop the emulator server (its state is kept for the next start)'
  static override examples = ['<%= config.bin %> emulate stop', '<%= config.bin %> emulate stop --state-dir ./ci-cluster']

  static override flags = {
    'state-dir': Flags.string({description: 'Directory of the cluster\'s state (default $KUBE2_HOME/clusters/default)'}),
  }

  public async run(): Promise<void> {
    const dir = this.flags['state-dir'] ?? clusterStateDir()
    const stopped = await stopServer(dir)
    this.log(stopped ? `kube2 emulator stopped (pid ${stopped.pid}; state kept in ${dir})` : `kube2 emulator is not running (state in ${dir})`)
  }
}
