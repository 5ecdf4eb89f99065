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

/**
 * What a step-up re-authentication must use, fixed when it starts from the
 * account's methods: `passkey` (the account has one), `password` (no passkey;
 * TOTP follows as for any password sign-in when enrolled), `any` (neither:
 * the account signs in by email link or an upstream provider only).
 */
export const StepUpMethod = Schema.Literals(["passkey", "password", "any"])
/** Type of {@link StepUpMethod}. */
export type StepUpMethod = typeof StepUpMethod.Type

const TransactionMetadata = Schema.Struct({
  /** The RP's request; null for a sign-in that is not for an RP (the account page). */
  request: Schema.NullOr(PendingAuthorization),
  /** Where a sign-in without an RP request lands afterwards: a path on this provider. */
  returnTo: Schema.optional(Schema.String),
  csrf: Schema.String,
  sessionId: Schema.NullOr(Schema.String),
  /** A step-up of session `sessionId` of the challenge's user (account security change); absent: an ordinary sign-in. */
  stepUp: Schema.optional(StepUpMethod)
})

/** A loaded transaction. */
export interface AuthorizationTransaction {
  readonly id: string
  /** The RP's request, or null for a sign-in to the provider itself (see `returnTo`). */
  readonly request: PendingAuthorization | null
  /** Path on this provider to land on after a sign-in without an RP request. */
  readonly returnTo: string
  readonly csrf: string
  readonly userId: string | null
  readonly sessionId: string | null
  /** Set for a step-up re-authentication (see {@link StepUpMethod}); null for an ordinary sign-in. */
  readonly stepUp: StepUpMethod | null
}

/** Stores a transaction; returns its id (the `tx` of the page URL and form). */
export const startTransaction = (
  backends: Backends,
  type: TransactionType,
  fields: {
    request: PendingAuthorization | null
    returnTo?: string
    csrf: string
    userId: string | null
    sessionId: string | null
    stepUp?: StepUpMethod
  }
): Effect.Effect<string, EdgeFailure> =>
  backends.identity.createChallenge({
    type,
    userId: fields.userId,
    metadata: {
      request: fields.request,
      returnTo: safeReturnPath(fields.returnTo),
      csrf: fields.csrf,
      sessionId: fields.sessionId,
      ...(fields.stepUp === undefined ? {} : { stepUp: fields.stepUp })
    }
  }).pipe(Effect.map((challenge) => challenge.id))

/** A same-origin absolute path (`/account…`), never another origin (`//evil`, `/\\evil`, `https:`): no open redirect. */
export const safeReturnPath = (path: string | undefined): string =>
  path !== undefined && /^\/(?![\/\\])[^\s]*$/.test(path) ? path : "/account"

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
    return {
      id,
      request: metadata.request,
      returnTo: safeReturnPath(metadata.returnTo),
      csrf: metadata.csrf,
      userId: challenge.userId,
      sessionId: metadata.sessionId,
      stepUp: metadata.stepUp ?? null
    }
  })
