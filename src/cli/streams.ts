// Output helpers shared by commands: colour only on a terminal and never with NO_COLOR, and chalk
// loaded only when it will be used (it costs start-up time otherwise).

export function wantsColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true
  return stream.isTTY === true
}
