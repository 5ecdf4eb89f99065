/**
 * OAuth 2.0 Token Exchange (RFC 8693), delegation only (issue 14: "impersonation
 * off, delegation with act"). The edge has authenticated the (confidential)
 * client and checked the requested audiences against its policy; here:
 *
 * - the subject token is a user's access token (it carries `auth_time`), not
 *   sender-constrained (a DPoP-bound token's key is not the exchanging client's);
 * - the actor token is an access token the SAME client obtained by
 *   client_credentials (`sub` = `client_id` = the exchanging client): the worker
 *   proves it acts as itself, and cannot name another party as the actor;
 * - `scope` must be a subset of the subject token's (`invalid_scope` otherwise);
 * - the issued access token: `sub` = the subject's, `aud` = the requested
 *   audiences, `client_id` = the exchanging client, `act: { sub: <actor> }` with
 *   the subject token's own `act` nested inside (§4.1: the chain of delegation),
 *   the subject's authentication facts (`auth_time`, `acr`, `amr`; no `sid`: the
 *   session belongs to the client the user signed in to), and an expiry never past
 *   the subject's or the actor's. No refresh token (§2.2.1: "not … for delegation").
 *
 * Revoking the subject token does not revoke tokens exchanged from it: they live at
 * most one access token lifetime and never past the subject token's `exp`.
 */
import { OAuthError, type TokenExchangeContract, type TokenSet, type Unavailable } from "@authrim/contracts"
import type { AuditTrail } from "@authrim/audit-trail"
import { Clock, Effect } from "effect"
import { accessTokenAlg } from "../issue_tokens.ts"
import { signJwt } from "../sign_jwt.ts"
import { auditTokenIssued } from "../token_audit.ts"
import { newJti } from "../token_format.ts"
import { configuredLifetimes } from "../token_lifetimes.ts"
import type { TokenStores } from "../token_stores.ts"
import { verifyPartyToken, type PartyToken } from "./exchange_party_token.ts"

type TokenExchangeInput = typeof TokenExchangeContract.exchangeToken.input.Type

const seconds = (ms: number): number => Math.floor(ms / 1000)

/** Space-separated RFC 6749 §3.3 scope-tokens. */
const scopeShape = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/

/** The granted scope: the requested one when it is within the subject token's, else `invalid_scope`. */
export const exchangedScope = (subjectScope: string, requested: string | null): Effect.Effect<string, OAuthError> => {
  if (requested === null) return Effect.succeed(subjectScope)
  if (!scopeShape.test(requested)) return Effect.fail(new OAuthError({ code: "invalid_scope", description: "scope is malformed" }))
  const held = new Set(subjectScope.split(" "))
  const asked = [...new Set(requested.split(" "))]
  return asked.every((s) => held.has(s))
    ? Effect.succeed(asked.join(" "))
    : Effect.fail(new OAuthError({ code: "invalid_scope", description: "scope exceeds the scope of the subject_token" }))
}

const refuse = (description: string) => new OAuthError({ code: "invalid_request", description })

/** The subject and actor tokens, checked for what a delegation needs (see the module comment). */
const checkParties = (clientId: string, subject: PartyToken, actor: PartyToken): OAuthError | null => {
  if (subject.payload.auth_time === undefined) return refuse("subject_token has no end user")
  if (subject.payload.cnf !== undefined) return refuse("subject_token is sender-constrained (DPoP) and cannot be exchanged")
  if (actor.payload.auth_time !== undefined || actor.payload.sub !== clientId || actor.payload.client_id !== clientId) {
    return refuse("actor_token must be an access token this client obtained with client_credentials")
  }
  return null
}

/** exchangeToken of the contract: the delegated access token and the RFC 8693 §2.2.1 response members. */
export const exchangeToken = Effect.fnUntraced(function*(input: TokenExchangeInput): Effect.fn.Return<TokenSet, OAuthError | Unavailable, TokenStores | AuditTrail> {
  const [subject, actor] = yield* Effect.all([
    verifyPartyToken(input.issuer, "subject_token", input.subjectToken),
    verifyPartyToken(input.issuer, "actor_token", input.actorToken)
  ], { concurrency: 2 })
  const refusal = checkParties(input.clientId, subject, actor)
  if (refusal !== null) return yield* refusal
  const scope = yield* exchangedScope(subject.payload.scope, input.scope)
  const now = yield* Clock.currentTimeMillis
  const expiresAt = Math.min(now + (yield* configuredLifetimes).accessTokenTtlMs, subject.payload.exp * 1000, actor.payload.exp * 1000)
  if (seconds(expiresAt) <= seconds(now)) return yield* refuse("subject_token expires too soon to be exchanged")
  const act = { sub: actor.payload.sub, ...(subject.act === null ? {} : { act: subject.act }) }
  const accessToken = yield* signJwt("access_token", accessTokenAlg, {
    iss: input.issuer,
    sub: subject.payload.sub,
    // A pairwise subject token's sealed real user travels with its `sub` (OIDC Core §8.1; pairwise/pairwise_subject.ts).
    ...(subject.payload.authrim_user === undefined ? {} : { authrim_user: subject.payload.authrim_user }),
    aud: input.audiences.length === 1 ? input.audiences[0]! : [...input.audiences],
    exp: seconds(expiresAt),
    iat: seconds(now),
    jti: newJti(),
    client_id: input.clientId,
    scope,
    auth_time: subject.payload.auth_time!,
    ...(subject.acr === null ? {} : { acr: subject.acr }),
    ...(subject.amr.length === 0 ? {} : { amr: subject.amr }),
    act,
    ...(input.dpopJkt === undefined ? {} : { cnf: { jkt: input.dpopJkt } })
  })
  yield* auditTokenIssued({
    grant: "token_exchange", clientId: input.clientId, userId: subject.payload.sub, scope,
    dpopBound: input.dpopJkt !== undefined, refreshIssued: false
  })
  return {
    access_token: accessToken,
    token_type: input.dpopJkt === undefined ? "Bearer" as const : "DPoP" as const,
    expires_in: seconds(expiresAt) - seconds(now),
    scope
  }
})
