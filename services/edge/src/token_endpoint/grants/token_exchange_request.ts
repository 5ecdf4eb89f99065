/**
 * `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` (RFC 8693 §2.1)
 * for internal workers: a confidential client exchanges a user's access token
 * for one with a narrower audience and scope, acting for the user (delegation,
 * `act`). Off by default: the client needs the grant type and a token exchange
 * policy (migration 0026) that allows delegation and lists the exact
 * `audience` / `resource` values it may ask for. Checked here, in this order:
 *
 * - a public client, or one without an allowing policy → `unauthorized_client`;
 * - `subject_token` / `subject_token_type` (access_token only), `actor_token` /
 *   `actor_token_type` (access_token only) missing or of another type →
 *   `invalid_request` (no `actor_token`: impersonation is not offered);
 * - `requested_token_type` other than access_token → `invalid_request`;
 * - no `audience` nor `resource`, or one outside the policy, a `resource` that is
 *   not an absolute URI without fragment → `invalid_target` (§2.2.2, RFC 8707 §2).
 *
 * `audience` may appear once (request_params.ts); `resource` may repeat (RFC 8707
 * §2); all of them together make a token for all. The tokens
 * service verifies the tokens and the scope (tokens grants/token_exchange.ts).
 * The response adds `issued_token_type` (§2.2.1) to the RFC 6749 §5.1 members.
 */
import { ACCESS_TOKEN_TYPE_URN, EdgeOAuthError, isResourceIndicator, OAuthError, type Client, type EdgeFailure, type TokenSet } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../../edge_layer.ts"
import type { Params } from "../../http/request_params.ts"
import type { RouteContext } from "../../route_context.ts"
import { resourcesOf } from "../../resource_indicators/resource_parameter.ts"

/** RFC 8693 §2.2.1 response: the RFC 6749 §5.1 members and the type of the issued token. */
export type ExchangedTokenSet = TokenSet & { readonly issued_token_type: typeof ACCESS_TOKEN_TYPE_URN }

const invalidRequest = (description: string) => new OAuthError({ code: "invalid_request", description })
const invalidTarget = (description: string) => new EdgeOAuthError({ code: "invalid_target", description })

/** A token parameter and its `_type`, which must be the access token type. */
const typedToken = (form: Params, name: "subject_token" | "actor_token"): Effect.Effect<string, OAuthError> => {
  const token = form.get(name)
  const type = form.get(`${name}_type`)
  if (token === undefined) {
    return Effect.fail(invalidRequest(name === "actor_token" ? "actor_token is required: only delegation is supported, not impersonation" : "subject_token is required"))
  }
  if (type === undefined) return Effect.fail(invalidRequest(`${name}_type is required`))
  if (type !== ACCESS_TOKEN_TYPE_URN) return Effect.fail(invalidRequest(`${name}_type must be ${ACCESS_TOKEN_TYPE_URN}`))
  return Effect.succeed(token)
}

/** The requested audiences: `audience` and `resource`, each in the client's exact list. */
const requestedTargets = (allowed: ReadonlyArray<string>, form: Params): Effect.Effect<ReadonlyArray<string>, EdgeOAuthError> => {
  const audience = form.get("audience")
  const resources = resourcesOf(form.get("resource"))
  if (!resources.every(isResourceIndicator)) return Effect.fail(invalidTarget("resource must be an absolute URI without a fragment"))
  const targets = [...new Set([...(audience === undefined ? [] : [audience]), ...resources])]
  if (targets.length === 0) return Effect.fail(invalidTarget("audience or resource is required"))
  const refused = targets.find((t) => !allowed.includes(t))
  return refused === undefined ? Effect.succeed(targets) : Effect.fail(invalidTarget("the client may not exchange tokens for this audience or resource"))
}

/** Runs the exchange for an authenticated client registered for the grant. */
export const tokenExchangeGrant = Effect.fnUntraced(function*(ctx: RouteContext, client: Client, form: Params): Effect.fn.Return<ExchangedTokenSet, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const policy = client.tokenExchangePolicy
  if (client.isPublic || policy === undefined || !policy.delegation) {
    return yield* new OAuthError({ code: "unauthorized_client", description: "the client may not exchange tokens (confidential clients with a token exchange policy only)" })
  }
  const subjectToken = yield* typedToken(form, "subject_token")
  const actorToken = yield* typedToken(form, "actor_token")
  const requested = form.get("requested_token_type")
  if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE_URN) {
    return yield* invalidRequest(`requested_token_type must be ${ACCESS_TOKEN_TYPE_URN}`)
  }
  const audiences = yield* requestedTargets(policy.audiences, form)
  // RFC 9449 §5: a verified proof binds the issued token, as for every other grant.
  const binding = ctx.dpopJkt === undefined ? {} : { dpopJkt: ctx.dpopJkt }
  const issued = yield* backends.tokenExchange.exchangeToken({
    issuer: ctx.issuer, clientId: client.clientId, subjectToken, actorToken, audiences, scope: form.get("scope") ?? null, ...binding
  })
  return { ...issued, issued_token_type: ACCESS_TOKEN_TYPE_URN }
})
