// Output parity: kube2 and kubectl (1.33) run the same command against the same emulator server and
// must print the same bytes and exit with the same code (ages normalised where a run can straddle a
// second). The start of issue 6's parity suite; commands join it as they are built.
import {strict as assert} from 'node:assert'
import {EmulatorSandbox, KUBECTL_NEWEST, kubectlAvailable} from '../helpers/emulator.js'

const AGE = /\b\d+(s|m\d*s?|h\d*m?|d\d*h?|y\d*d?)\b/g

describe('kube2 and kubectl print the same', function () {
  this.timeout(120000)
  let emu: EmulatorSandbox
  const both = (args: string[], opts: {input?: string} = {}) => {
    const k = emu.kubectl(KUBECTL_NEWEST, args, opts)
    const b = emu.kube2(args, opts)
    return {k, b}
  }
  const same = (args: string[], opts: {ages?: boolean} = {}) => {
    const {k, b} = both(args)
    const norm = (s: string) => (opts.ages ? s.replace(AGE, 'AGE') : s)
    assert.equal(norm(b.stdout), norm(k.stdout), `stdout of ${args.join(' ')}`)
    assert.equal(b.stderr.replace(/^(See ')kube2/m, '$1kubectl').replace(/kube2 /g, 'kubectl '), k.stderr.replace(/kubectl /g, 'kubectl '), `stderr of ${args.join(' ')}`)
    assert.equal(b.status, k.status, `exit code of ${args.join(' ')}`)
  }

  before(function () {
    if (!kubectlAvailable(KUBECTL_NEWEST)) this.skip()
    emu = new EmulatorSandbox()
    emu.start(['--nodes', '2'])
    const r = emu.kube2(['apply', '-f', 'fixtures/quickstart.yaml'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['rollout', 'status', 'deploy/web', '--timeout=60s']).status, 0)
  })
  after(() => emu?.dispose())

  it('api-resources in every form, and its errors', () => {
    for (const args of [[], ['-o', 'wide'], ['-o', 'name'], ['--no-headers'], ['--sort-by=kind'], ['--sort-by=name', '-o', 'wide'], ['--namespaced=false'], ['--namespaced=true', '--api-group=apps'], ['--verbs=list,watch', '--api-group='], ['--sort-by=foo'], ['-o', 'yaml'], ['--cached']]) {
      same(['api-resources', ...args])
    }
  })

  it('api-versions', () => same(['api-versions']))

  it('get: tables, wide, labels, several types, names, errors', () => {
    for (const args of [
      ['get', 'pods'], ['get', 'pods', '-o', 'wide'], ['get', 'deploy', 'web'], ['get', 'deploy,svc'], ['get', 'nodes'], ['get', 'ns'],
      ['get', 'pods', '--show-labels'], ['get', 'pods', '-L', 'app'], ['get', 'pods', '-A'], ['get', 'pods', '--no-headers'],
      ['get', 'deploy', '-o', 'name'], ['get', 'cm', 'web-config', '-o', 'yaml'], ['get', 'svc', 'web', '-o', 'json'],
      ['get', 'pods', 'nope'], ['get', 'nosuchtype'], ['get', 'pods', '-n', 'empty-ns'],
      ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.labels}'], ['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.labels.app}{"\\n"}{end}'],
      ['get', 'pods', '-o', 'jsonpath={.items[?(@.status.phase=="Running")].spec.containers[0].image}'], ['get', 'deploy', 'web', '-o', 'jsonpath={.nope}'],
      ['get', 'deploy', 'web', '-o', 'jsonpath={.nope}', '--allow-missing-template-keys=false'], ['get', 'deploy', '-o', 'jsonpath={.items[0'],
      ['get', 'deploy,svc', '-o', 'custom-columns=NAME:.metadata.name,KIND:.kind,REPLICAS:.spec.replicas'], ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name', '--no-headers'],
      ['get', 'pods', '-o', 'custom-columns=BAD'], ['get', 'svc', 'web', '-o', 'go-template={{.metadata.name}}:{{range .spec.ports}}{{.port}} {{end}}'],
      ['get', 'deploy', '-o', 'go-template={{range .items}}{{.metadata.name}}={{.spec.replicas}}{{"\\n"}}{{end}}'], ['get', 'deploy', 'web', '-o', 'go-template={{.nope.deeper}}'],
      ['get', 'deploy', 'web', '-o', 'go-template={{if}}'],
    ]) {
      same(args, {ages: true})
    }
  })

  it('label and annotate: the same sequence of changes gives the same words, errors and objects', () => {
    // kubectl works in namespace lk, kube2 in lb, on identical objects.
    for (const ns of ['lk', 'lb']) {
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'namespace', ns]).status, 0)
      for (const name of ['c1', 'c2']) assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'configmap', name, '-n', ns, '--from-literal=a=b']).status, 0)
    }
    const steps = [
      ['label', 'cm', 'c1', 'x=1'], ['label', 'cm', 'c1', 'x=2'], ['label', 'cm', 'c1', 'x=2', '--overwrite'], ['label', 'cm', 'c1', 'x=2', '--overwrite'],
      ['label', 'cm', 'c1', 'y-'], ['label', 'cm', 'c1', 'x-'], ['label', 'cm', 'c1', 'z=1', 'w=2'], ['label', 'cm', 'c1', '--list'],
      ['label', 'cm', 'c1', 'bad=va/lue'], ['label', 'cm', 'c1'], ['label', 'cm', 'nope', 'a=1'], ['label', 'cm', 'c1', 'q=1', '--dry-run=client', '-o', 'name'],
      ['label', 'cm', 'c1', 'q=1', '--dry-run=server'], ['label', 'cm', '-l', 'z=1', 'v=1'], ['label', 'cm', '--all', 'v=3', '--overwrite'],
      ['label', 'cm', 'c1', 'c2', 'k=1'], ['label', 'cm/c1', 'cm/c2', 'k=2', '--overwrite'], ['label', 'cm', 'c1', 'k=9', '--resource-version=1'],
      ['annotate', 'cm', 'c1', 'note=hi'], ['annotate', 'cm', 'c1', 'note=hi'], ['annotate', 'cm', 'c1', 'note=ho'], ['annotate', 'cm', 'c1', 'note-'],
      ['annotate', 'cm', 'c1', 'a=1', '--list'], ['label', 'cm', 'c1', 'k=4', '--overwrite', '-o', 'yaml'],
    ]
    for (const step of steps) {
      const k = emu.kubectl(KUBECTL_NEWEST, [...step, '-n', 'lk'])
      const b = emu.kube2([...step, '-n', 'lb'])
      const norm = (t: string) => t.replace(/\blb\b|\blk\b/g, 'NS').replace(/(resourceVersion|uid|creationTimestamp|time): .*/g, '$1: X')
      // --list prints a Go map as it iterates: in no fixed order.
      const order = (t: string) => (step.includes('--list') ? t.split('\n').sort().join('\n') : t)
      assert.equal(order(norm(b.stdout)), order(norm(k.stdout)), `stdout of ${step.join(' ')}`)
      assert.equal(norm(b.stderr), norm(k.stderr), `stderr of ${step.join(' ')}`)
      assert.equal(b.status, k.status, `exit code of ${step.join(' ')}`)
    }
  })

  it('cordon, uncordon, scale and patch: the same words, errors and exit codes', () => {
    for (const ns of ['sk', 'sb']) {
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'namespace', ns]).status, 0)
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'deployment', 'web', '-n', ns, '--image=nginx', '--replicas=1']).status, 0)
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'configmap', 'cfg', '-n', ns]).status, 0)
    }
    const nodeSteps = [['cordon', 'NODE'], ['cordon', 'NODE'], ['uncordon', 'NODE'], ['uncordon', 'NODE'], ['cordon', 'nope'], ['cordon', 'NODE', '--dry-run=client'], ['cordon', 'NODE', '--dry-run=server'], ['cordon'], ['uncordon', 'NODE']]
    for (const step of nodeSteps) {
      const k = emu.kubectl(KUBECTL_NEWEST, step.map((a) => (a === 'NODE' ? 'node-1' : a)))
      const b = emu.kube2(step.map((a) => (a === 'NODE' ? 'node-2' : a)))
      const norm = (t: string) => t.replace(/node-[12]/g, 'NODE').replace(/kube2/g, 'kubectl')
      assert.equal(norm(b.stdout), norm(k.stdout), `stdout of ${step.join(' ')}`)
      assert.equal(norm(b.stderr), norm(k.stderr), `stderr of ${step.join(' ')}`)
      assert.equal(b.status, k.status, `exit code of ${step.join(' ')}`)
    }
    const steps = [
      ['scale', 'deploy', 'web', '--replicas=2'], ['scale', 'deploy', 'web', '--replicas=3', '--current-replicas=1'], ['scale', 'deploy/web', '--replicas=1'],
      ['scale', 'deploy', 'web'], ['scale', 'deploy', 'nope', '--replicas=1'], ['scale', 'cm', 'cfg', '--replicas=1'], ['scale', 'deploy', 'web', '--replicas=2', '--dry-run=server'],
      ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":1}}'], ['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"p":"1"}}}'],
      ['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"remove","path":"/metadata/labels/p"}]'], ['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"remove","path":"/metadata/labels/zzz"}]'],
      ['patch', 'cm', 'cfg', '-p', '{"data":{"a":"b"}}', '-o', 'name'], ['patch', 'cm', 'cfg', '-p', '{"data":{"a":"b"}}'], ['patch', 'cm', 'nope', '-p', '{}'],
      ['patch', 'cm', 'cfg', '--type=merge', '-p', '{"data":{"c":"d"}}', '--dry-run=server'], ['patch', 'cm', 'cfg', '--type=wrong', '-p', '{}'],
    ]
    for (const step of steps) {
      const k = emu.kubectl(KUBECTL_NEWEST, [...step, '-n', 'sk'])
      const b = emu.kube2([...step, '-n', 'sb'])
      const norm = (t: string) => t.replace(/\bs[kb]\b/g, 'NS').replace(/kube2/g, 'kubectl')
      assert.equal(norm(b.stdout), norm(k.stdout), `stdout of ${step.join(' ')}`)
      assert.equal(norm(b.stderr), norm(k.stderr), `stderr of ${step.join(' ')}`)
      assert.equal(b.status, k.status, `exit code of ${step.join(' ')}`)
    }
  })

  it('create generators: the same objects (client dry run), the same words and errors when created', () => {
    for (const ns of ['ck', 'cb']) assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'namespace', ns]).status, 0)
    const generators = [
      ['create', 'deployment', 'd', '--image=nginx', '--image=busybox:1.36', '--replicas=2', '--port=80'], ['create', 'deploy', 'd2', '--image=busybox', '--', 'sleep', '10'],
      ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=c=d', `--from-file=${'fixtures/quickstart.yaml'}`, '--from-file=k=fixtures/kubeconfig/a.yaml'],
      ['create', 'cm', 'c2', '--from-literal=a=1'], ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--type=Opaque'],
      ['create', 'service', 'clusterip', 's1', '--tcp=80:8080', '--tcp=443'], ['create', 'svc', 'clusterip', 'h', '--clusterip=None'],
      ['create', 'service', 'nodeport', 's2', '--tcp=80:8080', '--node-port=30080'], ['create', 'service', 'loadbalancer', 'lb', '--tcp=80'],
      ['create', 'service', 'externalname', 's3', '--external-name=x.example'], ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'],
      ['create', 'serviceaccount', 'sa1'], ['create', 'namespace', 'gen-ns'],
    ]
    for (const g of generators) {
      const k = emu.kubectl(KUBECTL_NEWEST, [...g.slice(0, g.indexOf('--') < 0 ? g.length : g.indexOf('--')), '-n', 'ck', '--dry-run=client', '-o', 'json', ...(g.includes('--') ? g.slice(g.indexOf('--')) : [])])
      const b = emu.kube2([...g.slice(0, g.indexOf('--') < 0 ? g.length : g.indexOf('--')), '-n', 'cb', '--dry-run=client', '-o', 'json', ...(g.includes('--') ? g.slice(g.indexOf('--')) : [])])
      const norm = (t: string) => t.replace(/"c[kb]"/g, '"NS"')
      assert.equal(norm(b.stdout), norm(k.stdout), `dry-run object of ${g.join(' ')}`)
      assert.equal(b.stderr, k.stderr, `dry-run stderr of ${g.join(' ')}`)
    }
    const steps = [
      ['create', 'deployment', 'web2', '--image=nginx'], ['create', 'deployment', 'web2', '--image=nginx'], ['create', 'deployment', 'x'], ['create', 'deployment', 'bad_name', '--image=x'],
      ['create', 'cm', 'cc', '--from-literal=bad'], ['create', 'cm', 'x', '--from-literal=a=1', '--from-literal=a=2'], ['create', 'cm', 'ok', '--from-literal=a=1', '-o', 'name'],
      ['create', 'secret', 'generic', 'sx', '--from-literal=a=b', '--dry-run=server'], ['create', 'svc', 'clusterip', 'z'], ['create', 'ns'],
      ['create', 'job', 'j2', '--from=cronjob/nope'], ['create', 'job', 'j3', '--image=busybox', '--dry-run=client'],
    ]
    for (const step of steps) {
      const k = emu.kubectl(KUBECTL_NEWEST, [...step, '-n', 'ck'])
      const b = emu.kube2([...step, '-n', 'cb'])
      const norm = (t: string) => t.replace(/\bc[kb]\b/g, 'NS').replace(/kube2/g, 'kubectl')
      assert.equal(norm(b.stdout), norm(k.stdout), `stdout of ${step.join(' ')}`)
      assert.equal(norm(b.stderr), norm(k.stderr), `stderr of ${step.join(' ')}`)
      assert.equal(b.status, k.status, `exit code of ${step.join(' ')}`)
    }
  })

  it('set image: the same words, silence when unchanged, the same errors', () => {
    for (const ns of ['ik', 'ib']) {
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'namespace', ns]).status, 0)
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.27']).status, 0)
    }
    const steps = [
      ['set', 'image', 'deploy/web', 'nginx=nginx:1.28'], ['set', 'image', 'deploy/web', 'nginx=nginx:1.28'], ['set', 'image', 'deploy', 'web', 'nope=x'],
      ['set', 'image', 'deploy/web', '*=nginx:1.27'], ['set', 'image', 'deploy/web'], ['set', 'image', 'deploy/nope', 'web=x'],
      ['set', 'image', 'deploy/web', 'nginx=nginx:1.26', '--dry-run=client', '-o', 'name'], ['set', 'image', 'deploy/web', 'nginx=nginx:1.25', '--dry-run=server'],
    ]
    for (const step of steps) {
      const k = emu.kubectl(KUBECTL_NEWEST, [...step, '-n', 'ik'])
      const b = emu.kube2([...step, '-n', 'ib'])
      const norm = (t: string) => t.replace(/\bi[kb]\b/g, 'NS').replace(/kube2/g, 'kubectl')
      assert.equal(norm(b.stdout), norm(k.stdout), `stdout of ${step.join(' ')}`)
      assert.equal(norm(b.stderr), norm(k.stderr), `stderr of ${step.join(' ')}`)
      assert.equal(b.status, k.status, `exit code of ${step.join(' ')}`)
    }
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['get', 'deploy', 'web', '-n', 'ib', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']).stdout, 'nginx:1.27')
  })

  it('rollout pause, resume, restart and status: the same words and errors', () => {
    for (const ns of ['rk', 'rb']) {
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'namespace', ns]).status, 0)
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.27']).status, 0)
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['rollout', 'status', 'deploy/web', '-n', ns, '--timeout=60s']).status, 0)
    }
    const steps = [
      ['rollout', 'pause', 'deploy/web'], ['rollout', 'pause', 'deploy/web'], ['rollout', 'resume', 'deploy/web'], ['rollout', 'resume', 'deploy/web'],
      ['rollout', 'pause', 'sts/nope'], ['rollout', 'pause', 'cm/kube-root-ca.crt'], ['rollout', 'restart', 'deploy/web'],
      ['rollout', 'status', 'deploy/web', '--timeout=60s'], ['rollout', 'status', 'deploy/web', '--watch=false'], ['rollout', 'status', 'deploy/nope'],
    ]
    for (const step of steps) {
      const k = emu.kubectl(KUBECTL_NEWEST, [...step, '-n', 'rk'])
      const b = emu.kube2([...step, '-n', 'rb'])
      const norm = (t: string) => t.replace(/\br[kb]\b/g, 'NS').replace(/kube2/g, 'kubectl')
      // status lines while a rollout progresses depend on timing: compare the final line.
      const last = (t: string) => (step[1] === 'status' ? t.trimEnd().split('\n').pop() ?? '' : t)
      assert.equal(last(norm(b.stdout)), last(norm(k.stdout)), `stdout of ${step.join(' ')}`)
      assert.equal(norm(b.stderr), norm(k.stderr), `stderr of ${step.join(' ')}`)
      assert.equal(b.status, k.status, `exit code of ${step.join(' ')}`)
    }
    const restarted = emu.kubectl(KUBECTL_NEWEST, ['get', 'deploy', 'web', '-n', 'rb', '-o', 'jsonpath={.spec.template.metadata.annotations}']).stdout
    assert.match(restarted, /kubectl\.kubernetes\.io\/restartedAt/)
  })

  it('logs: pods, workloads, selectors, prefixes, tails, timestamps, errors; -f streams', async () => {
    // Pods without probes: their logs stop growing once started, so both tools read the same lines.
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'namespace', 'lg']).status, 0)
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'deployment', 'quiet', '-n', 'lg', '--image=nginx:1.27', '--replicas=2']).status, 0)
    assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'deployment', 'solo', '-n', 'lg', '--image=nginx:1.27']).status, 0)
    for (const d of ['quiet', 'solo']) assert.equal(emu.kubectl(KUBECTL_NEWEST, ['rollout', 'status', `deploy/${d}`, '-n', 'lg', '--timeout=60s']).status, 0)
    const pod = emu.kubectl(KUBECTL_NEWEST, ['get', 'pods', '-n', 'lg', '-l', 'app=solo', '-o', 'jsonpath={.items[0].metadata.name}']).stdout
    for (const args of [
      [pod, '--tail=2'], ['deploy/solo', '--tail=1'], ['-l', 'app=quiet', '--tail=1', '--prefix'], ['-l', 'app=quiet', '--tail=1'], [pod, '-c', 'nope'], ['nope'],
      [pod, '--previous'], [pod, '--tail=1', '--timestamps'], [pod, '--all-containers', '--prefix', '--tail=1'], [pod, '--since=1h', '--tail=1'], [pod],
    ]) {
      const k = emu.kubectl(KUBECTL_NEWEST, ['logs', '-n', 'lg', ...args])
      const b = emu.kube2(['logs', '-n', 'lg', ...args])
      // Pods of a selector that tie on kubectl's ordering (same state and age) come in no fixed order.
      const order = (t: string) => (args.includes('-l') ? t.split('\n').sort().join('\n') : t)
      assert.equal(order(b.stdout), order(k.stdout), `stdout of logs ${args.join(' ')}`)
      assert.equal(b.stderr, k.stderr, `stderr of logs ${args.join(' ')}`)
      assert.equal(b.status, k.status, `exit code of logs ${args.join(' ')}`)
    }
    // A workload with several pods: kube2 names the pod it chose, and prints that pod's logs.
    const chosen = emu.kube2(['logs', '-n', 'lg', 'deploy/quiet', '--tail=1'])
    const m = /^Found 2 pods, using pod\/(\S+)\n$/.exec(chosen.stderr)
    assert.ok(m, chosen.stderr)
    assert.equal(chosen.stdout, emu.kubectl(KUBECTL_NEWEST, ['logs', '-n', 'lg', m![1]!, '--tail=1']).stdout)
    // -f: the lines so far arrive at once and the stream stays open until it is stopped.
    const {spawn} = await import('node:child_process')
    const {join} = await import('node:path')
    const {ROOT} = await import('../helpers/cli.js')
    const followed = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.cjs'), 'logs', '-f', '-n', 'lg', pod, '--tail=1'], {env: {...process.env, HOME: emu.cli.home, KUBECONFIG: emu.kubeconfig, KUBE2_HOME: join(emu.cli.home, 'kube2')}})
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      setTimeout(() => child.kill('SIGTERM'), 2000)
      child.on('exit', () => resolve(out))
    })
    assert.equal(followed, emu.kubectl(KUBECTL_NEWEST, ['logs', '-n', 'lg', pod, '--tail=1']).stdout)
  })

  it('rollout history and undo: the same revisions, words and errors', () => {
    const settle = (ns: string) => assert.equal(emu.kubectl(KUBECTL_NEWEST, ['rollout', 'status', 'deploy/web', '-n', ns, '--timeout=60s']).status, 0)
    for (const ns of ['hk', 'hb']) {
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'namespace', ns]).status, 0)
      assert.equal(emu.kubectl(KUBECTL_NEWEST, ['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.27']).status, 0)
      settle(ns)
    }
    const steps: Array<string[] | 'image' | 'settle'> = [
      ['rollout', 'history', 'deploy/web'], ['rollout', 'undo', 'deploy/web'], 'image', 'settle', ['rollout', 'history', 'deploy/web'],
      ['rollout', 'undo', 'deploy/web'], 'settle', ['rollout', 'history', 'deploy/web'], ['rollout', 'undo', 'deploy/web', '--to-revision=9'],
      ['rollout', 'undo', 'deploy/web', '--to-revision=3'], ['rollout', 'history', 'cm/nope'],
    ]
    for (const step of steps) {
      if (step === 'image' || step === 'settle') {
        for (const ns of ['hk', 'hb']) {
          if (step === 'image') assert.equal(emu.kubectl(KUBECTL_NEWEST, ['set', 'image', 'deploy/web', 'nginx=nginx:1.28', '-n', ns]).status, 0)
          else settle(ns)
        }
        continue
      }
      const k = emu.kubectl(KUBECTL_NEWEST, [...step, '-n', 'hk'])
      const b = emu.kube2([...step, '-n', 'hb'])
      const norm = (t: string) => t.replace(/\bh[kb]\b/g, 'NS').replace(/kube2/g, 'kubectl')
      assert.equal(norm(b.stdout), norm(k.stdout), `stdout of ${step.join(' ')}`)
      assert.equal(norm(b.stderr), norm(k.stderr), `stderr of ${step.join(' ')}`)
      assert.equal(b.status, k.status, `exit code of ${step.join(' ')}`)
    }
  })
})
