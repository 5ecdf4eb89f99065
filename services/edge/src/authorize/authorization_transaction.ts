/**
 * A pending authorization while the user is on the login or consent page.
 *
 * Sealed (the normal case, issue 10): the state — the validated request, the
 * browser's CSRF token, the RP's name and consent setting, the session for a
 * consent — is sealed into the `tx` value itself (`transaction_seal.ts`), so
 * showing and posting a page costs no storage call. Its single use is the one
 * stored step: `claimTransaction` takes the transaction's random id in the
 * identity ChallengeStore (`finishTransaction`), exactly once, when the
 * transaction ends (a code or an error for the RP, a sign-in to the provider,
 * a step-up). A login followed by a consent page is one transaction: the
 * consent stage carries the login's id, so it too ends with one claim.
 *
 * Stored (fallback): a request too large to travel sealed within one URL
 * parameter ({@link MAX_SEALED_LENGTH}) is kept in the ChallengeStore as
 * before (type `login`/`consent`, 15 minutes, `tx` = the challenge id), read
 * per page and consumed once.
 */
import { OAuthError, type EdgeFailure } from "@authrim/contracts"
import { Clock, Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { MAX_PARAM_LENGTH } from "../http/request_params.ts"
import { randomToken } from "../http/random_token.ts"
import { PendingAuthorization } from "./pending_authorization.ts"
import { SEALED_PREFIX, seal, transactionSealKey, unseal } from "./transaction_seal.ts"

/** Which page the transaction is waiting on. */
export const TransactionType = Schema.Literals(["login", "consent"])
/** Type of {@link TransactionType}. */
export type TransactionType = typeof TransactionType.Type

/**
 * What a step-up re-authentication must use, fixed when it starts from the
 * account's methods: `passkey` (the account has one), `password` (no passkey;
 * TOTP follows as for any password sign-in when enrolled), `any` (neither:
 * the account signs in by email link or an upstream provider only).
 */
export const StepUpMethod = Schema.Literals(["passkey", "password", "any"])
/** Type of {@link StepUpMethod}. */
export type StepUpMethod = typeof StepUpMethod.Type

/** What the pages and the consent rule need of the RP, carried along so no page fetches the client again. */
export const ClientSummary = Schema.Struct({
  clientId: Schema.String,
  clientName: Schema.String,
  skipConsent: Schema.Boolean,
  /** The client's page links (pages/client_links.ts); absent in transactions made before they were carried. */
  logoUri: Schema.optional(Schema.NullOr(Schema.String)),
  policyUri: Schema.optional(Schema.NullOr(Schema.String)),
  tosUri: Schema.optional(Schema.NullOr(Schema.String))
})
/** Type of {@link ClientSummary}. */
export type ClientSummary = typeof ClientSummary.Type

/** DESIGN §2: a pending login or consent lives 15 minutes (the ChallengeStore's limit). */
export const TRANSACTION_TTL_MS = 15 * 60 * 1000

/** Longest sealed `tx`: it must pass as one request parameter; a larger transaction is stored instead. */
export const MAX_SEALED_LENGTH = MAX_PARAM_LENGTH

const TransactionMetadata = Schema.Struct({
  /** The RP's request; null for a sign-in that is not for an RP (the account page). */
  request: Schema.NullOr(PendingAuthorization),
  /** Where a sign-in without an RP request lands afterwards: a path on this provider. */
  returnTo: Schema.optional(Schema.String),
  csrf: Schema.String,
  sessionId: Schema.NullOr(Schema.String),
  /** A step-up of session `sessionId` of the challenge's user (account security change); absent: an ordinary sign-in. */
  stepUp: Schema.optional(StepUpMethod),
  /** The RP (absent in transactions stored before it, and for sign-ins to the provider). */
  client: Schema.optional(ClientSummary)
})

const SealedTransaction = Schema.Struct({
  ...TransactionMetadata.fields,
  type: TransactionType,
  /** The random single-use id (`claimTransaction`). */
  id: Schema.String,
  expiresAt: Schema.Number,
  userId: Schema.NullOr(Schema.String)
})

/** A loaded transaction. */
export interface AuthorizationTransaction {
  /** The `tx` value of the page URL and form (sealed state, or a ChallengeStore id). */
  readonly id: string
  readonly type: TransactionType
  /** Sealed: the single-use id claimed at the end; stored: the challenge id. */
  readonly claimId: string
  readonly sealed: boolean
  readonly expiresAt: number
  /** The RP's request, or null for a sign-in to the provider itself (see `returnTo`). */
  readonly request: PendingAuthorization | null
  /** Path on this provider to land on after a sign-in without an RP request. */
  readonly returnTo: string
  readonly csrf: string
  readonly userId: string | null
  readonly sessionId: string | null
  /** Set for a step-up re-authentication (see {@link StepUpMethod}); null for an ordinary sign-in. */
  readonly stepUp: StepUpMethod | null
  /** The RP, when known without a lookup. */
  readonly client: ClientSummary | null
}

/** What a new transaction holds. `continues` keeps the single-use id and expiry of the login it follows (consent). */
export interface NewTransaction {
  readonly request: PendingAuthorization | null
  readonly returnTo?: string
  readonly csrf: string
  readonly userId: string | null
  readonly sessionId: string | null
  readonly stepUp?: StepUpMethod
  readonly client?: ClientSummary
  readonly continues?: Pick<AuthorizationTransaction, "claimId" | "expiresAt" | "sealed">
}

/** Starts a transaction; returns its `tx` value (sealed, or the stored challenge's id when too large to seal). */
export const startTransaction = Effect.fnUntraced(function*(type: TransactionType, fields: NewTransaction): Effect.fn.Return<string, EdgeFailure, Edge> {
  const { backends, transactionSealSecret } = yield* Edge
  const key = yield* transactionSealKey(transactionSealSecret)
  const metadata = {
    request: fields.request,
    returnTo: safeReturnPath(fields.returnTo),
    csrf: fields.csrf,
    sessionId: fields.sessionId,
    ...(fields.stepUp === undefined ? {} : { stepUp: fields.stepUp }),
    ...(fields.client === undefined ? {} : { client: fields.client })
  }
  const continued = fields.continues?.sealed === true ? fields.continues : undefined
  const expiresAt = continued?.expiresAt ?? (yield* Clock.currentTimeMillis) + TRANSACTION_TTL_MS
  const sealed = yield* seal(key, { ...metadata, type, id: continued?.claimId ?? randomToken(), expiresAt, userId: fields.userId })
  if (sealed.length <= MAX_SEALED_LENGTH) return sealed
  const stored = yield* backends.identity.createChallenge({ type, userId: fields.userId, metadata })
  return stored.id
})

/** A same-origin absolute path (`/account…`), never another origin (`//evil`, `/\\evil`, `https:`): no open redirect. */
export const safeReturnPath = (path: string | undefined): string =>
  path !== undefined && /^\/(?![\/\\])[^\s]*$/.test(path) ? path : "/account"

const expired = () => new OAuthError({ code: "invalid_request", description: "this sign-in request has expired or was already completed; start again from the application" })

/** Reads a transaction of `type` (nothing is taken); a missing, tampered, used or expired one is `invalid_request`. */
export const loadTransaction = Effect.fnUntraced(function*(
  type: TransactionType,
  id: string | undefined
): Effect.fn.Return<AuthorizationTransaction, EdgeFailure, Edge> {
  const { backends, transactionSealSecret } = yield* Edge
  if (id === undefined) return yield* expired()
  if (id.startsWith(SEALED_PREFIX)) {
    const opened = yield* unseal(yield* transactionSealKey(transactionSealSecret), id)
    const tx = yield* Schema.decodeUnknownEffect(SealedTransaction)(opened).pipe(Effect.mapError(expired))
    if (tx.type !== type || tx.expiresAt <= (yield* Clock.currentTimeMillis)) return yield* expired()
    return { ...fromMetadata(id, type, tx, tx.userId), claimId: tx.id, sealed: true, expiresAt: tx.expiresAt }
  }
  const challenge = yield* backends.identity.peekChallenge({ id, type }).pipe(Effect.catchTag("NotFound", () => Effect.fail(expired())))
  const metadata = yield* Schema.decodeUnknownEffect(TransactionMetadata)(challenge.metadata).pipe(Effect.mapError(expired))
  return { ...fromMetadata(id, type, metadata, challenge.userId), claimId: id, sealed: false, expiresAt: challenge.expiresAt }
})

const fromMetadata = (id: string, type: TransactionType, metadata: typeof TransactionMetadata.Type, userId: string | null) => ({
  id,
  type,
  request: metadata.request,
  returnTo: safeReturnPath(metadata.returnTo),
  csrf: metadata.csrf,
  userId,
  sessionId: metadata.sessionId,
  stepUp: metadata.stepUp ?? null,
  client: metadata.client ?? null
})

/** A consent to record in the same call as the claim (the consent page's approval). */
export interface ConsentGrant {
  readonly userId: string
  readonly clientId: string
  readonly scopes: ReadonlyArray<string>
}

/**
 * Ends transaction `tx`, atomically and once: of racing completions exactly
 * one gets past here, every other is `invalid_request` (used). With `grant`,
 * the consent is recorded after the claim, in the same identity call.
 */
export const claimTransaction = Effect.fnUntraced(function*(ctx: RouteContext, tx: AuthorizationTransaction, grant?: ConsentGrant): Effect.fn.Return<void, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  if (tx.sealed) {
    yield* backends.identity.finishTransaction({ id: tx.claimId, expiresAt: tx.expiresAt, ...(grant === undefined ? {} : { grantConsent: grant }) })
      .pipe(Effect.catchTag("NotFound", () => Effect.fail(expired())))
    return
  }
  yield* backends.identity.consumeChallenge({ id: tx.id, type: tx.type }).pipe(Effect.catchTag("NotFound", () => Effect.fail(expired())))
  if (grant !== undefined) yield* backends.identity.grantConsent(grant)
})

/** The RP of `request` in transaction `tx`: carried in the transaction, else (stored before it was) one client read. */
export const transactionClient = (tx: AuthorizationTransaction, request: PendingAuthorization): Effect.Effect<ClientSummary, EdgeFailure, Edge> =>
  tx.client !== null && tx.client.clientId === request.target.clientId
    ? Effect.succeed(tx.client)
    : Edge.use(({ backends }) => backends.identity.getClient({ clientId: request.target.clientId }))

