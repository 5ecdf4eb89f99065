/**
 * `POST /introspect` (RFC 7662): client-authenticated; the tokens service
 * answers `{active: false}` for anything it would not accept. An unknown
 * `token_type_hint` is ignored (§2.1: the server may ignore the hint).
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import type { EdgeContext } from "../edge_context.ts"
import { readFormBody } from "../http/form_body.ts"
import { noStoreJson } from "../http/oauth_json.ts"
import { authenticateClient } from "../token/authenticate_client.ts"
import { clientEndpointError } from "../token/token_error.ts"
import { TOKEN_TYPE_HINTS } from "./revoke.ts"

/** Handles an introspection request. */
export const introspect = (request: Request, ctx: EdgeContext): Effect.Effect<Response> =>
  Effect.gen(function*() {
    const form = yield* readFormBody(request)
    const client = yield* authenticateClient(ctx.backends, request, form, ctx.issuer)
    const token = form.get("token")
    if (token === undefined) return yield* new OAuthError({ code: "invalid_request", description: "token is required" })
    const hint = form.get("token_type_hint")
    const result = yield* ctx.backends.tokens.introspect({
      issuer: ctx.issuer,
      token,
      tokenTypeHint: hint !== undefined && TOKEN_TYPE_HINTS.includes(hint) ? hint : null,
      clientId: client.clientId
    })
    return noStoreJson(result)
  }).pipe(Effect.catch((failure) => Effect.succeed(clientEndpointError(request, failure))))
