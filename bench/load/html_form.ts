/**
 * Reads the first `<form>` of a page the way a browser would submit it:
 * action (resolved against the page URL), method, named inputs and buttons.
 * Enough for plain login/consent pages; not a general HTML parser.
 */
export interface ParsedForm {
  readonly action: string
  readonly method: string
  readonly fields: Record<string, string>
  readonly buttons: ReadonlyArray<{ readonly name: string | undefined; readonly value: string | undefined }>
}

const decodeEntities = (s: string) =>
  s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&quot;/g, "\"").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")

const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, "i").exec(tag)?.[1]

export const parseFirstForm = (html: string, pageUrl: string): ParsedForm | undefined => {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) return undefined
  const [, formTag = "", inner = ""] = form
  const fields: Record<string, string> = {}
  for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(input[0], "name")
    if (name !== undefined && attr(input[0], "type")?.toLowerCase() !== "submit") fields[name] = decodeEntities(attr(input[0], "value") ?? "")
  }
  const buttons = [...inner.matchAll(/<button\b[^>]*>/gi)].map((b) => ({ name: attr(b[0], "name"), value: attr(b[0], "value") }))
  const action = attr(formTag, "action")
  return {
    action: new URL(action === undefined ? pageUrl : decodeEntities(action), pageUrl).toString(),
    method: (attr(formTag, "method") ?? "GET").toUpperCase(),
    fields,
    buttons
  }
}
