// `kube2 emulate reset`: stops the server if it runs and deletes the cluster's state (objects,
// history, logs), keeping its CA and users so that kubeconfigs written for it stay valid.
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../cli/base-command.js'
import {clusterStateDir, lockStateDir} from '../../emulator/state-dir.js'
import {resetState, stopServer} from '../../ops/emulate.js'

export default class EmulateReset extends BaseCommand<typeof EmulateReset> {
  static override summary = 'Delete the emulated cluster\'s state (stopping its server first); credentials are kept'
  static override examples = ['<%= config.bin %> emulate reset', '<%= config.bin %> emulate reset --state-dir ./ci-cluster']

  static override flags = {
    'state-dir': Flags.string({description: 'Directory of the cluster\'s state (default $KUBE2_HOME/clusters/default)'}),
  }

  public async run(): Promise<void> {
    const dir = this.flags['state-dir'] ?? clusterStateDir()
    const stopped = await stopServer(dir)
    // No embedded command may be using the database while it is removed.
    const lock = lockStateDir(dir)
    try {
      resetState(dir)
    } finally {
      lock.release()
    }
    this.log(`kube2 emulator state in ${dir} reset${stopped ? ' (the server was stopped: start it again with kube2 emulate start)' : ''}`)
  }
}
