/**
 * Validating an RP-Initiated Logout request (OIDC RP-Initiated Logout 1.0 §2,
 * §3). The `post_logout_redirect_uri` is trusted only when it exactly matches
 * one registered for the client, which is known from `client_id` or from the
 * verified `id_token_hint`; anything else fails here, and the caller renders a
 * page — never a redirect, so the endpoint is no open redirector.
 * `logout_hint` and `ui_locales` are accepted and ignored (the provider has
 * one session per browser and one language).
 */
import { OAuthError, type Client, type EdgeFailure, type IdTokenHint } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import type { Params } from "../http/request_params.ts"

/** A validated logout request. */
export interface EndSessionRequest {
  /** The verified `id_token_hint`, when sent. */
  readonly hint: IdTokenHint | null
  /** The RP, when identified by `client_id` or the hint. */
  readonly client: Client | null
  /** A registered `post_logout_redirect_uri` of `client`, or null: then the provider shows its own page. */
  readonly redirectUri: string | null
  /** Echoed to `redirectUri` (§3). */
  readonly state: string | null
}

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })

/** Parses and checks the parameters of `/end_session` (or of the confirmation form, which carries the same ones). */
export const validateEndSessionRequest = Effect.fnUntraced(function*(ctx: RouteContext, params: Params): Effect.fn.Return<EndSessionRequest, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const idToken = params.get("id_token_hint")
  const hint = idToken === undefined ? null : yield* backends.tokensLogout.verifyIdTokenHint({ issuer: ctx.issuer, idToken })
  const clientIdParam = params.get("client_id")
  // §2: when both are sent, client_id must be the hint's audience.
  if (hint !== null && clientIdParam !== undefined && clientIdParam !== hint.clientId) {
    return yield* invalid("client_id does not match the id_token_hint")
  }
  const clientId = clientIdParam ?? hint?.clientId
  const client = clientId === undefined
    ? null
    : yield* backends.identity.getClient({ clientId }).pipe(
      Effect.catchTag("NotFound", () => Effect.fail(invalid("unknown client_id")))
    )
  const requested = params.get("post_logout_redirect_uri")
  if (requested === undefined) return { hint, client, redirectUri: null, state: params.get("state") ?? null }
  // §3: the OP must be able to tell which client the URI belongs to.
  if (client === null) return yield* invalid("post_logout_redirect_uri needs client_id or id_token_hint")
  if (!client.postLogoutRedirectUris.includes(requested)) {
    return yield* invalid("post_logout_redirect_uri is not registered for this client")
  }
  return { hint, client, redirectUri: requested, state: params.get("state") ?? null }
})
