/**
 * A minimal browser for the end-to-end tests: a cookie jar, redirects within
 * the provider, and plain HTML form submission — exactly what a user agent
 * does with Authrim's login and consent pages, no JavaScript needed.
 */
export interface SignInOptions {
  readonly email?: string
  readonly password?: string
  readonly decision?: "approve" | "deny"
}

/** Parses the first `<form>` of a page: action, method and its named inputs/buttons. */
export const parseForm = (html: string, baseUrl: string) => {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) return undefined
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, "i").exec(tag)?.[1]
  const fields: Record<string, string> = {}
  for (const input of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(input[0], "name")
    if (name && attr(input[0], "type")?.toLowerCase() !== "submit") fields[name] = decodeEntities(attr(input[0], "value") ?? "")
  }
  const buttons = [...form[2]!.matchAll(/<button\b[^>]*>/gi)].map((b) => ({ name: attr(b[0], "name"), value: attr(b[0], "value") }))
  return {
    action: new URL(decodeEntities(attr(form[1]!, "action") ?? baseUrl), baseUrl).toString(),
    method: (attr(form[1]!, "method") ?? "GET").toUpperCase(),
    fields,
    buttons
  }
}

const decodeEntities = (s: string) =>
  s.replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#x2F;/g, "/").replace(/&amp;/g, "&")

/** A browser with its own cookie jar. */
export class Browser {
  readonly cookies = new Map<string, string>()

  constructor(private readonly issuer: string) {}

  /** Fetches with the jar, storing any Set-Cookie (host-only, path ignored: one origin under test). */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "))
    const res = await fetch(url, { ...init, headers, redirect: "manual" })
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";")
      const eq = pair!.indexOf("=")
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      if (/max-age=0\b/i.test(line) || value === "") this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return res
  }

  /**
   * Follows an authorization request through login and consent until the
   * provider sends the browser to a URL outside itself (the RP's redirect_uri),
   * and returns that URL. A `form_post` response is turned into the URL+params
   * it would post, marked by `formPost`.
   */
  async authorize(authorizationUrl: string, options: SignInOptions = {}): Promise<{ url: URL; formPost?: Record<string, string>; page?: string; status: number }> {
    let res = await this.request(authorizationUrl)
    for (let step = 0; step < 12; step++) {
      const location = res.headers.get("location")
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, this.issuer)
        if (next.origin !== new URL(this.issuer).origin) return { url: next, status: res.status }
        res = await this.request(next.toString())
        continue
      }
      const html = await res.text()
      const form = parseForm(html, res.url || this.issuer)
      if (!form || res.status >= 400) return { url: new URL(res.url || this.issuer), page: html, status: res.status }
      if (new URL(form.action).origin !== new URL(this.issuer).origin) {
        return { url: new URL(form.action), formPost: form.fields, status: res.status }
      }
      const body = new URLSearchParams(form.fields)
      if ("password" in form.fields || "email" in form.fields) {
        body.set("email", options.email ?? "")
        body.set("password", options.password ?? "")
      } else if (form.buttons.some((b) => b.name === "decision")) {
        body.set("decision", options.decision ?? "approve")
      } else {
        return { url: new URL(form.action), page: html, status: res.status }
      }
      res = await this.request(form.action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body
      })
    }
    throw new Error("authorization did not finish within 12 steps")
  }
}
