/**
 * Email magic links (DESIGN §2 ChallengeStore type `magic_link`): single use,
 * 15 minutes, bound to the browser that asked.
 *
 * The link's token is `<challenge id>.<secret>`. The id routes to the
 * ChallengeStore shard (it is not secret, and is stored as is); the challenge
 * keeps only the SHA-256 of the secret and of the requesting browser's
 * binding cookie. Redemption peeks, checks secret and binding, then consumes:
 * a wrong browser (or a mail scanner fetching the link) is turned away
 * WITHOUT using the link up, and of concurrent redemptions in the right
 * browser the atomic consume lets exactly one through.
 */
import { MagicLinkWrongBrowser, NotFound, OAuthError } from "@authrim/contracts"
import { Clock, Effect, Schema } from "effect"
import { requireSignInMethod } from "../settings/system_settings.ts"
import { consumeChallenge, createChallenge, peekChallenge } from "../challenges/challenges.ts"
import { emailSender } from "./email_sender.ts"
import { linkWithToken, magicLinkEmail } from "./email_templates.ts"
import { emailLanguageOf } from "./email_language.ts"
import { sha256Hex } from "@authrim/platform"
import { matchesDigest, newLinkSecret } from "./one_time_secret.ts"
import { findUserRowByEmail } from "../users/user_by_email.ts"
import { refuseDisabledUser } from "../users/user_disabled.ts"
import { auditSignInFailure, auditSignInSucceeded } from "../identity_audit.ts"
import { brandedEmail } from "./email_branding.ts"

/** DESIGN §2 / issue 3: a sign-in link lives 15 minutes. */
export const MAGIC_LINK_TTL_SECONDS = 15 * 60

/** Shortest accepted binding cookie value: the edge sends 43 base64url characters (256 bits). */
const MIN_BINDING_LENGTH = 32

/**
 * What the challenge keeps. `expiresAt` repeats the ChallengeStore's own
 * expiry on this service's Effect `Clock`, so the 15-minute rule is testable
 * with a controlled clock; both must hold.
 */
const MagicLinkMetadata = Schema.Struct({
  secretHash: Schema.String,
  bindingHash: Schema.String,
  txId: Schema.String,
  expiresAt: Schema.Number
})

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })
const linkNotFound = () => new NotFound({ what: "magic link" })

/** Mails a link for `txId` when the email is a user's; otherwise does nothing, with the same (empty) answer. */
export const requestMagicLink = Effect.fnUntraced(function*(input: {
  readonly email: string
  readonly txId: string
  readonly browserBinding: string
  readonly verifyUrl: string
  readonly locale?: string | undefined
}) {
  yield* requireSignInMethod("magicLink")
  const sender = yield* emailSender
  if (input.browserBinding.length < MIN_BINDING_LENGTH) return yield* invalid("browserBinding is too short")
  if (!URL.canParse(input.verifyUrl)) return yield* invalid("verifyUrl is not an absolute URL")
  const user = yield* findUserRowByEmail(input.email)
  if (user === null) return {}
  const secret = newLinkSecret()
  const now = yield* Clock.currentTimeMillis
  const metadata: typeof MagicLinkMetadata.Type = {
    secretHash: yield* sha256Hex(secret),
    bindingHash: yield* sha256Hex(input.browserBinding),
    txId: input.txId,
    expiresAt: now + MAGIC_LINK_TTL_SECONDS * 1000
  }
  const challenge = yield* createChallenge({ type: "magic_link", userId: user.id, metadata, ttlSeconds: MAGIC_LINK_TTL_SECONDS })
  yield* sender.send(yield* brandedEmail(magicLinkEmail(user.email, linkWithToken(input.verifyUrl, `${challenge.id}.${secret}`), MAGIC_LINK_TTL_SECONDS / 60, emailLanguageOf(input.locale)), emailLanguageOf(input.locale)))
  return {}
})

/** Checks and uses up a link; see the module comment for the order of checks. */
const useMagicLink = Effect.fnUntraced(function*(input: { readonly token: string; readonly browserBinding: string | null }) {
  const [id, secret, ...rest] = input.token.split(".")
  if (id === undefined || secret === undefined || id === "" || secret === "" || rest.length > 0) return yield* linkNotFound()
  const challenge = yield* peekChallenge({ id, type: "magic_link" })
  const metadata = yield* Schema.decodeUnknownEffect(MagicLinkMetadata)(challenge.metadata).pipe(Effect.mapError(linkNotFound))
  const now = yield* Clock.currentTimeMillis
  if (metadata.expiresAt <= now || challenge.userId === null) return yield* linkNotFound()
  if (!(yield* matchesDigest(secret, metadata.secretHash))) return yield* linkNotFound()
  const binding = input.browserBinding
  const sameBrowser = binding !== null && (yield* matchesDigest(binding, metadata.bindingHash))
  if (!sameBrowser) return yield* new MagicLinkWrongBrowser()
  // Issue 12: a disabled account's link is refused like a used one (and left unused: enabling the account revives it until expiry).
  yield* refuseDisabledUser(challenge.userId, linkNotFound)
  const consumed = yield* consumeChallenge({ id, type: "magic_link" })
  return { userId: consumed.userId ?? challenge.userId, txId: metadata.txId }
})

/** A magic-link sign-in, audited: `sign_in.succeeded` (amr `email`) or `sign_in.failed` (`not_found`, `wrong_browser`). */
export const redeemMagicLink = (input: { readonly token: string; readonly browserBinding: string | null }) =>
  useMagicLink(input).pipe(
    Effect.tap(({ userId }) => auditSignInSucceeded({ method: "magic_link", userId, amr: ["email"] })),
    Effect.tapError(auditSignInFailure("magic_link"))
  )
