/**
 * A pending authorization while the user is on the login or consent page,
 * kept in the identity ChallengeStore (15 minutes, single use): challenge type
 * `login` or `consent`, metadata = the validated request + the CSRF token
 * (+ the session id for consent, so the consent is given by the session that
 * signed in). The edge itself stores nothing.
 */
import { OAuthError, type EdgeFailure } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import type { Backends } from "../backends.ts"
import { PendingAuthorization } from "./pending_authorization.ts"

/** Which page the transaction is waiting on. */
export type TransactionType = "login" | "consent"

const TransactionMetadata = Schema.Struct({
  request: PendingAuthorization,
  csrf: Schema.String,
  sessionId: Schema.NullOr(Schema.String)
})

/** A loaded transaction. */
export interface AuthorizationTransaction {
  readonly id: string
  readonly request: PendingAuthorization
  readonly csrf: string
  readonly userId: string | null
  readonly sessionId: string | null
}

/** Stores a transaction; returns its id (the `tx` of the page URL and form). */
export const startTransaction = (
  backends: Backends,
  type: TransactionType,
  fields: { request: PendingAuthorization; csrf: string; userId: string | null; sessionId: string | null }
): Effect.Effect<string, EdgeFailure> =>
  backends.identity.createChallenge({
    type,
    userId: fields.userId,
    metadata: { request: fields.request, csrf: fields.csrf, sessionId: fields.sessionId }
  }).pipe(Effect.map((challenge) => challenge.id))

const expired = () => new OAuthError({ code: "invalid_request", description: "this sign-in request has expired or was already completed; start again from the application" })

/** Reads (`peek`) or atomically takes (`consume`) a transaction; a missing, used or expired one is `invalid_request`. */
export const loadTransaction = (
  backends: Backends,
  type: TransactionType,
  id: string | undefined,
  mode: "peek" | "consume"
): Effect.Effect<AuthorizationTransaction, EdgeFailure> =>
  Effect.gen(function*() {
    if (id === undefined) return yield* expired()
    const read = mode === "peek" ? backends.identity.peekChallenge : backends.identity.consumeChallenge
    const challenge = yield* read({ id, type }).pipe(Effect.catchTag("NotFound", () => Effect.fail(expired())))
    const metadata = yield* Schema.decodeUnknownEffect(TransactionMetadata)(challenge.metadata).pipe(Effect.mapError(expired))
    return { id, request: metadata.request, csrf: metadata.csrf, userId: challenge.userId, sessionId: metadata.sessionId }
  })
