/**
 * The pending second factor of a sign-in: after the first factor the login
 * transaction is NOT consumed yet; instead a short-lived ChallengeStore
 * challenge (type `reauth`, on the user's shard) remembers which transaction,
 * which user and which first-factor amr/acr, and the browser's CSRF token.
 * Its id is the `mfa` parameter of `/login/totp`. Only a valid code moves on:
 * the challenge is consumed (single use), then the transaction.
 */
import { OAuthError, type EdgeFailure } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import type { AuthorizationTransaction } from "./authorization_transaction.ts"
import type { SignInMethod } from "./open_session.ts"
import { supportedLocaleOf, type Locale } from "../i18n/locale.ts"

/**
 * Five minutes to type a code: enough to find the phone, short enough that a
 * password typed on a shared computer does not stay half-signed-in for long.
 */
export const SECOND_FACTOR_TTL_SECONDS = 5 * 60

const SecondFactorMetadata = Schema.Struct({
  purpose: Schema.Literal("second_factor"),
  txId: Schema.String,
  amr: Schema.Array(Schema.String),
  acr: Schema.NullOr(Schema.String),
  csrf: Schema.String,
  /** The transaction's `ui_locales` choice, so the code page keeps the sign-in's language (absent in steps stored before it). */
  uiLocale: Schema.optional(Schema.String)
})

/** A loaded second-factor step. */
export interface PendingSecondFactor {
  readonly id: string
  readonly txId: string
  readonly userId: string
  readonly firstFactor: SignInMethod
  readonly csrf: string
  /** The sign-in's `ui_locales` choice (a supported language), or null. */
  readonly uiLocale: Locale | null
}

/** Stores the step for `userId` after the first factor of transaction `tx`; returns its id. */
export const startSecondFactor = (
  tx: AuthorizationTransaction,
  userId: string,
  firstFactor: SignInMethod
): Effect.Effect<string, EdgeFailure, Edge> =>
  Edge.use(({ backends }) =>
  backends.identity.createChallenge({
    type: "reauth",
    userId,
    metadata: {
      purpose: "second_factor", txId: tx.id, amr: [...firstFactor.amr], acr: firstFactor.acr, csrf: tx.csrf,
      ...(tx.request?.uiLocale === undefined ? {} : { uiLocale: tx.request.uiLocale })
    },
    ttlSeconds: SECOND_FACTOR_TTL_SECONDS
  }).pipe(Effect.map((challenge) => challenge.id)))

const expired = () =>
  new OAuthError({ code: "invalid_request", description: "this sign-in step has expired or was already completed; start again from the application" })

/** Reads (`peek`) or atomically takes (`consume`) the step; missing, used, expired or foreign ids are `invalid_request`. */
export const loadSecondFactor = Effect.fnUntraced(function*(
  id: string | undefined,
  mode: "peek" | "consume"
): Effect.fn.Return<PendingSecondFactor, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  if (id === undefined) return yield* expired()
  const read = mode === "peek" ? backends.identity.peekChallenge : backends.identity.consumeChallenge
  const challenge = yield* read({ id, type: "reauth" }).pipe(Effect.catchTag("NotFound", () => Effect.fail(expired())))
  const metadata = yield* Schema.decodeUnknownEffect(SecondFactorMetadata)(challenge.metadata).pipe(Effect.mapError(expired))
  if (challenge.userId === null) return yield* expired()
  return { id, txId: metadata.txId, userId: challenge.userId, firstFactor: { amr: metadata.amr, acr: metadata.acr }, csrf: metadata.csrf,
    uiLocale: metadata.uiLocale === undefined ? null : supportedLocaleOf(metadata.uiLocale) }
})
