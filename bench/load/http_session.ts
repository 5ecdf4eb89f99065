/**
 * One user agent of the load generator: `fetch` with a small cookie jar
 * (host-only, paths ignored — one origin per target), manual redirects, and
 * every response's cost header added to the operation's sum.
 */
import { addCostHeader, type CostSum } from "./cost_sum.ts"

/** What a scenario uses to talk to a target. */
export type HttpRequest = (url: string, init?: RequestInit) => Promise<Response>

/** A fetch with its own cookie jar that records each response in `cost`. */
export const httpSession = (cost: CostSum): HttpRequest => {
  const cookies = new Map<string, string>()
  return async (url, init = {}) => {
    const headers = new Headers(init.headers)
    if (cookies.size > 0) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "))
    const response = await fetch(url, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(30_000) })
    addCostHeader(cost, response.headers.get("x-authrim-cost"))
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? ""
      const eq = pair.indexOf("=")
      if (eq <= 0) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (/max-age=0\b/i.test(line) || /expires=thu, 01 jan 1970/i.test(line) || value === "") cookies.delete(name)
      else cookies.set(name, value)
    }
    return response
  }
}

/** The Authorization header of client_secret_basic (RFC 6749 §2.3.1: form-encode, then base64). */
export const basicAuth = (clientId: string, secret: string): string =>
  "Basic " + Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")

/** A form POST. */
export const formPost = (body: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(body).toString()
})
