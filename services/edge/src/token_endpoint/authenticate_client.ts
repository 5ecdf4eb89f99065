/**
 * Client authentication at the token, revocation and introspection endpoints:
 * the identity service checks the method is the client's registered one and
 * the secret matches in constant time. Every failure is `invalid_client`
 * (an unknown id included), so nothing tells ids and secrets apart.
 * `private_key_jwt` assertions go to `authenticateClientAssertion`, whose `aud`
 * may be the issuer, the token endpoint, or the endpoint called (`/revoke`,
 * `/introspect`, `/par`…). `issuer` defaults to the request origin.
 * A secret (or public-client) authentication that succeeded in the last 30 s
 * in this isolate is reused without asking identity (client_auth_cache.ts).
 */
import { OAuthError, type Client, type EdgeFailure } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { Params } from "../http/request_params.ts"
import { cachedClientAuth, clientAuthKey, rememberClientAuth } from "./client_auth_cache.ts"
import { presentedClient } from "./presented_client.ts"

/** The authenticated client. */
export const authenticateClient = Effect.fnUntraced(function*(request: Request, form: Params, issuer?: string): Effect.fn.Return<Client, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const presented = yield* presentedClient(request, form)
  if (presented.assertion !== null) {
    const base = issuer ?? new URL(request.url).origin
    const audiences = [...new Set([base, `${base}/token`, `${base}${new URL(request.url).pathname}`])]
    return yield* backends.clientAuth.authenticateClientAssertion({ clientId: presented.clientId, assertion: presented.assertion, audiences })
      .pipe(Effect.catchTag("NotFound", () => Effect.fail(new OAuthError({ code: "invalid_client", description: "client authentication failed" }))))
  }
  const key = yield* clientAuthKey(presented.clientId, presented.method, presented.secret)
  const cached = cachedClientAuth(key, yield* Clock.currentTimeMillis)
  if (cached !== undefined) return cached
  const client = yield* backends.identity.authenticateClient({
    clientId: presented.clientId,
    method: presented.method,
    clientSecret: presented.secret
  }).pipe(Effect.catchTag("NotFound", () => Effect.fail(new OAuthError({ code: "invalid_client", description: "client authentication failed" }))))
  rememberClientAuth(key, client, yield* Clock.currentTimeMillis)
  return client
})
