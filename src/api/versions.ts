// Kubernetes' API version order (apimachinery's CompareKubeAwareVersionStrings): GA before beta
// before alpha, higher numbers first; anything else after, alphabetically.

export function compareKubeVersions(a: string, b: string): number {
  const pa = parse(a), pb = parse(b)
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a.localeCompare(b)
  if (pa.stage !== pb.stage) return pb.stage - pa.stage
  if (pa.major !== pb.major) return pb.major - pa.major
  return pb.minor - pa.minor
}

function parse(v: string): {major: number; stage: number; minor: number} | undefined {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v)
  if (!m) return undefined
  return {major: Number(m[1]), stage: m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, minor: m[3] ? Number(m[3]) : 0}
}
