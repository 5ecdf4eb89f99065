/**
 * The peer of the bench: `@cloudflare/workers-oauth-provider` configured for
 * the flows the bench compares — an auto-approving `/authorize` for one fixed
 * user (no login page, no consent page: `completeAuthorization` at once, i.e.
 * consent already remembered), `/token` with refresh tokens, dynamic client
 * registration (the load generator registers its confidential client there),
 * and a token-protected `GET /api/me`. Bench code only, never deployed.
 */
import { OAuthProvider, type OAuthHelpers } from "@cloudflare/workers-oauth-provider"
import { WorkerEntrypoint } from "cloudflare:workers"

interface Env {
  readonly OAUTH_KV: KVNamespace
  OAUTH_PROVIDER: OAuthHelpers
}

/** The one user every authorization is granted to. */
const FIXED_USER = "bench"

/** The protected API: answers with the grant's props (what `completeAuthorization` stored). */
class ApiHandler extends WorkerEntrypoint<Env> {
  override async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname !== "/api/me") return new Response("not found", { status: 404 })
    return Response.json(this.ctx.props)
  }
}

/** Everything that is not the API or the provider's own endpoints: the auto-approving authorize page. */
const defaultHandler: ExportedHandler<Env> = {
  async fetch(request, env) {
    if (new URL(request.url).pathname !== "/authorize") return new Response("not found", { status: 404 })
    const authRequest = await env.OAUTH_PROVIDER.parseAuthRequest(request)
    const { redirectTo } = await env.OAUTH_PROVIDER.completeAuthorization({
      request: authRequest,
      userId: FIXED_USER,
      metadata: {},
      scope: authRequest.scope,
      props: { sub: FIXED_USER },
      // Every load worker holds its own grant for the same user; revoking the others would break their chains.
      revokeExistingGrants: false
    })
    return Response.redirect(redirectTo, 302)
  }
}

/**
 * The provider, made on the first request: its protected-resource metadata names the
 * resource by URL, and the bench picks the port at run time (`wrangler dev` on 127.0.0.1:<free port>).
 */
const providerFor = (origin: string) =>
  new OAuthProvider<Env>({
    apiRoute: "/api/",
    apiHandler: ApiHandler,
    defaultHandler,
    authorizeEndpoint: "/authorize",
    tokenEndpoint: "/token",
    clientRegistrationEndpoint: "/register",
    scopesSupported: ["profile", "email", "offline_access"],
    resourceMetadata: { resource: `${origin}/api/`, authorization_servers: [origin] }
  })

let provider: ReturnType<typeof providerFor> | undefined

export default {
  fetch: (request, env, ctx) => (provider ??= providerFor(new URL(request.url).origin)).fetch(request, env, ctx)
} satisfies ExportedHandler<Env>
