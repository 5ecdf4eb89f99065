/**
 * `POST /introspect` (RFC 7662): client-authenticated. A token is active only
 * when it is valid, unrevoked, unexpired AND was issued to the asking client;
 * anything else is `{active: false}` and nothing more (§2.2), so a client
 * cannot probe other clients' tokens. An unknown `token_type_hint` is ignored
 * (§2.1: the server may ignore the hint).
 *
 * An access token (a JWT) is checked here, as at /userinfo: signature and
 * claims with the JWKS in memory, then ONE tokens call for the revocation —
 * authoritative, never cached. Anything else (a refresh token) is the tokens
 * service's to introspect, as is everything against a tokens worker older than
 * `checkAccessTokenUse`.
 *
 * RFC 9701: with `Accept: application/token-introspection+jwt` the same answer
 * comes as a signed JWT (http/introspection_answer.ts).
 */
import { activeAccessTokenIntrospection, OAuthError, type Introspection } from "@authrim/contracts"
import { Effect } from "effect"
import { pairwiseOption } from "../token_endpoint/issue_options.ts"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormBody } from "../http/form_body.ts"
import { introspectionAnswer } from "../http/introspection_answer.ts"
import { verifyAccessTokenJwt } from "../resource/access_token_jwt.ts"
import { accessTokenUse } from "../resource/access_token_use.ts"
import { authenticateClient } from "../token_endpoint/authenticate_client.ts"
import { clientEndpointError } from "../token_endpoint/token_error.ts"
import { TOKEN_TYPE_HINTS } from "./revoke.ts"

const inactive: Introspection = { active: false }

/** A compact JWS (three base64url parts): the shape of our access tokens, never of a refresh token. */
const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)

/** Handles an introspection request. */
export const introspect = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const client = yield* authenticateClient(request, form, ctx.issuer)
  const token = form.get("token")
  if (token === undefined) return yield* new OAuthError({ code: "invalid_request", description: "token is required" })
  const hint = form.get("token_type_hint")
  const byTokens = () => backends.tokens.introspect({
    issuer: ctx.issuer,
    token,
    tokenTypeHint: hint !== undefined && TOKEN_TYPE_HINTS.includes(hint) ? hint : null,
    clientId: client.clientId,
    // A pairwise client's refresh token introspects with its own `sub` (OIDC Core §8.1); access tokens carry it already.
    ...pairwiseOption(client)
  })
  const answer = (introspection: Introspection) => introspectionAnswer(request, ctx.issuer, client.clientId, introspection)
  if (!looksLikeJwt(token)) return yield* answer(yield* byTokens())
  // Any `aud` of ours: the token must have been issued to the asking client (below), whatever resource it names.
  const payload = yield* verifyAccessTokenJwt(ctx.issuer, token, "any").pipe(
    Effect.catchTag("OAuthError", () => Effect.succeed(null))
  )
  if (payload === null || payload.client_id !== client.clientId) return yield* answer(inactive)
  const use = yield* accessTokenUse(payload.jti, null, payload)
  if (use === null) return yield* answer(yield* byTokens())
  return yield* answer(use.revoked ? inactive : activeAccessTokenIntrospection(payload))
}, (effect, request) => effect.pipe(Effect.catch((failure) => Effect.succeed(clientEndpointError(request, failure)))))
