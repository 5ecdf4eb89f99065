/**
 * authrim-example-notes: a resource server another team would write. `GET /notes`
 * answers only with an access token Authrim accepts for this API's audience
 * (Bearer, or DPoP with a proof for a bound token); `@authrim/client`'s
 * `protect` answers 401/403 with the right `WWW-Authenticate` otherwise.
 */
import { makeAuthrimClient, protect, type ResourceServerRpc, type VerifiedAccessToken } from "@authrim/client"

interface Env {
  /** authrim-tokens, entrypoint TokensForResourceServers (wrangler.jsonc). */
  readonly AUTHRIM: ResourceServerRpc
  /** The issuer this API trusts. */
  readonly ISSUER: string
  /** This API's audience. */
  readonly AUDIENCE: string
}

/** The caller's notes: a fixed list, addressed to the token's subject. */
const listNotes = (_request: Request, _env: Env, _ctx: ExecutionContext, token: VerifiedAccessToken): Response =>
  Response.json({
    owner: token.sub,
    client: token.clientId,
    tokenType: token.tokenType,
    notes: [{ id: "1", text: "Remember the milk" }, { id: "2", text: "Rotate the keys" }]
  }, { headers: { "cache-control": "no-store" } })

const notes = protect(listNotes, (env: Env) => ({
  client: makeAuthrimClient({ issuer: env.ISSUER, tokens: env.AUTHRIM }),
  audience: env.AUDIENCE,
  realm: "notes"
}))

export default {
  fetch: (request, env, ctx) => {
    const { pathname } = new URL(request.url)
    if (pathname !== "/notes") return new Response("not found", { status: 404 })
    if (request.method !== "GET") return new Response("method not allowed", { status: 405, headers: { allow: "GET" } })
    return notes(request, env, ctx)
  }
} satisfies ExportedHandler<Env>
