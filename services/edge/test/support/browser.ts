/**
 * A tiny user agent for the tests: a cookie jar, manual redirects, and plain
 * HTML form submission — what any HTTP client does with the login and consent
 * pages. Requests go straight to the edge worker (`exports.default.fetch`),
 * or to the handler given to the constructor (e.g. the edge with other vars).
 */
import { exports } from "cloudflare:workers"

/** The origin the tests use; with ISSUER unset it is also the issuer. */
export const ORIGIN = "https://op.test"

/** A parsed `<form>`: action, hidden/visible inputs and submit buttons. */
export interface ParsedForm {
  readonly action: string
  readonly method: string
  readonly fields: Record<string, string>
  readonly buttons: ReadonlyArray<{ name: string | undefined; value: string | undefined }>
}

export const decodeEntities = (s: string): string =>
  s.replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#x2F;/g, "/").replace(/&amp;/g, "&")

const attribute = (tag: string, name: string) => {
  const value = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, "i").exec(tag)?.[1]
  return value === undefined ? undefined : decodeEntities(value)
}

/** The first form of a page, or undefined. */
export const parseForm = (html: string): ParsedForm | undefined => {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html)
  if (form === null) return undefined
  const fields: Record<string, string> = {}
  for (const input of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input[0], "name")
    // As a browser does: an unchecked checkbox or radio button is not submitted.
    const checkable = /^(checkbox|radio)$/i.test(attribute(input[0], "type") ?? "")
    if (checkable && !/\schecked\b/i.test(input[0])) continue
    if (name !== undefined) fields[name] = attribute(input[0], "value") ?? ""
  }
  const buttons = [...form[2]!.matchAll(/<button\b[^>]*>/gi)].map((b) => ({ name: attribute(b[0], "name"), value: attribute(b[0], "value") }))
  return { action: attribute(form[1]!, "action") ?? "", method: (attribute(form[1]!, "method") ?? "get").toUpperCase(), fields, buttons }
}

/** A browser with its own cookie jar. */
export class Browser {
  readonly cookies = new Map<string, string>()

  /** `fetcher`: the edge to talk to — by default the worker under test as configured; a test may pass one with other vars. */
  constructor(private readonly fetcher: (request: Request) => Promise<Response> = (request) => exports.default.fetch(request)) {}

  /** One request (no redirect following), storing Set-Cookie. */
  async request(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "))
    const response = await this.fetcher(new Request(new URL(pathOrUrl, ORIGIN), { ...init, headers, redirect: "manual" }))
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";")
      const eq = pair!.indexOf("=")
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      if (/max-age=0\b/i.test(line) || value === "") this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  /** Posts a form body. */
  post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString()
    })
  }

  /** Follows same-origin redirects; stops at a page or at a redirect leaving the provider. */
  async follow(response: Response): Promise<Response> {
    let current = response
    for (let hops = 0; hops < 10; hops++) {
      const location = current.headers.get("location")
      if (current.status < 300 || current.status >= 400 || location === null) return current
      const next = new URL(location, ORIGIN)
      if (next.origin !== ORIGIN) return current
      current = await this.request(next.toString())
    }
    throw new Error("too many redirects")
  }
}
