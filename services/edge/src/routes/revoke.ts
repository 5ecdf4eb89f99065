/**
 * `POST /revoke` (RFC 7009): client-authenticated; an unknown, expired or
 * already revoked token still answers 200 (§2.2), so the endpoint reveals
 * nothing. A `token_type_hint` outside the registered values is
 * `unsupported_token_type` (§2.2.1).
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { withCors } from "../http/cors.ts"
import { readFormBody } from "../http/form_body.ts"
import { authenticateClient } from "../token_endpoint/authenticate_client.ts"
import { clientEndpointError } from "../token_endpoint/token_error.ts"

/** RFC 7009 §4.1.2 registered token type hints. */
export const TOKEN_TYPE_HINTS: ReadonlyArray<string> = ["access_token", "refresh_token"]

/** Handles a revocation request. */
export const revoke = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const client = yield* authenticateClient(request, form, ctx.issuer)
  const token = form.get("token")
  if (token === undefined) return yield* new OAuthError({ code: "invalid_request", description: "token is required" })
  const hint = form.get("token_type_hint") ?? null
  if (hint !== null && !TOKEN_TYPE_HINTS.includes(hint)) {
    return yield* new OAuthError({ code: "unsupported_token_type", description: "token_type_hint must be access_token or refresh_token" })
  }
  yield* backends.tokens.revoke({ token, tokenTypeHint: hint, clientId: client.clientId })
  return new Response(null, { status: 200, headers: { "cache-control": "no-store", pragma: "no-cache" } })
}, (effect, request) => effect.pipe(Effect.catch((failure) => Effect.succeed(clientEndpointError(request, failure))),
    Effect.map(withCors)))
