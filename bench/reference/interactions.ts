/**
 * The reference's interaction routes (what `devInteractions` would do, but
 * with a real password check and an explicit consent grant):
 *   GET  /interaction/:uid          the login or consent page, by prompt
 *   POST /interaction/:uid/login    verifies email + password (PBKDF2), finishes the login prompt
 *   POST /interaction/:uid/confirm  grants the requested scopes/claims, finishes the consent prompt
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type Provider from "oidc-provider"
import type { AccountDirectory } from "./accounts.ts"
import { consentPage, loginPage } from "./interaction_pages.ts"
import { verifyPassword } from "./password_hash.ts"

const MAX_FORM_BYTES = 16 * 1024

/** The url-encoded body of a request (bounded). */
export const readForm = async (req: IncomingMessage): Promise<URLSearchParams> => {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_FORM_BYTES) throw new Error("body too large")
    chunks.push(chunk as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"))
}

const html = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
  res.end(body)
}

/** Handles `/interaction/...`; false when the path is not one of ours. */
export const handleInteraction = async (provider: Provider, accounts: AccountDirectory, req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
  const match = /^\/interaction\/([\w-]+)(\/login|\/confirm)?$/.exec(new URL(req.url ?? "/", "http://x").pathname)
  if (match === null) return false
  const [, uid, action] = match as unknown as [string, string, string | undefined]
  const details = await provider.interactionDetails(req, res)
  if (action === undefined && req.method === "GET") {
    if (details.prompt.name === "login") html(res, 200, loginPage(uid, null))
    else html(res, 200, consentPage(uid, String(details.params.scope ?? "").split(" ")))
    return true
  }
  if (action === "/login" && req.method === "POST") {
    const form = await readForm(req)
    const account = accounts.byEmail.get((form.get("email") ?? "").trim().toLowerCase())
    const ok = account !== undefined && (await verifyPassword(form.get("password") ?? "", account.password))
    if (!ok || account === undefined) {
      html(res, 401, loginPage(uid, "wrong email or password"))
      return true
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false })
    return true
  }
  if (action === "/confirm" && req.method === "POST") {
    const form = await readForm(req)
    if (form.get("decision") !== "approve") {
      await provider.interactionFinished(req, res, { error: "access_denied", error_description: "the user denied access" }, { mergeWithLastSubmission: false })
      return true
    }
    const { prompt, params, session, grantId } = details
    const grant = grantId !== undefined
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session?.accountId ?? "", clientId: String(params.client_id) })
    if (grant === undefined) throw new Error("grant not found")
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> }
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "))
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "))
    const savedGrantId = await grant.save()
    await provider.interactionFinished(req, res, { consent: grantId === undefined ? { grantId: savedGrantId } : {} }, { mergeWithLastSubmission: true })
    return true
  }
  res.writeHead(405).end()
  return true
}
