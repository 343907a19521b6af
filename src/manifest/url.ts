// Fetches an http(s) manifest input like kubectl's URL visitor: only 200 is success, network
// errors and 5xx answers are tried again, other statuses fail at once.
import {STATUS_CODES} from 'node:http'
import {setTimeout as sleep} from 'node:timers/promises'

export type FetchFunction = typeof fetch

// Node's own fetch: nothing to load until a manifest is read from a URL.
export const defaultFetch: FetchFunction = (input, init) => fetch(input, init)

export type UrlRead = {bytes: Uint8Array} | {error: string}

export async function readUrl(url: string, fetchImpl: FetchFunction, attempts: number, delayMs: number): Promise<UrlRead> {
  let error = `unable to read URL "${url}": no attempt was made`
  for (let attempt = 0; attempt < Math.max(1, attempts); attempt++) {
    if (attempt > 0 && delayMs > 0) await sleep(delayMs)
    let response: Response
    try {
      response = await fetchImpl(url, {redirect: 'follow'})
      if (response.status === 200) return {bytes: new Uint8Array(await response.arrayBuffer())}
    } catch (err) {
      error = `unable to read URL "${url}": ${networkReason(err)}`
      continue
    }
    await response.body?.cancel().catch(() => undefined)
    error = `unable to read URL "${url}", server reported ${statusLine(response)}, status code=${response.status}`
    if (response.status < 500 || response.status >= 600) break
  }
  return {error}
}

/** Go's resp.Status: the code and its reason phrase (HTTP/2 has none on the wire, Go fills it in). */
function statusLine(response: Response): string {
  const reason = response.statusText || STATUS_CODES[response.status] || ''
  return reason === '' ? String(response.status) : `${response.status} ${reason}`
}

// fetch reports every network failure as "fetch failed"; the useful part is in its cause.
function networkReason(err: unknown): string {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err
  if (cause instanceof AggregateError && cause.errors.length > 0) return networkReason(cause.errors[0])
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code
    if (cause.message !== '') return cause.message
    if (code !== undefined) return code
  }
  return err instanceof Error ? err.message : String(err)
}
