/**
 * `finishTransaction`: the one stored step of a login/consent transaction the
 * edge keeps sealed in the browser (contracts/src/identity.ts). The id is
 * claimed on its ChallengeStore shard (single use), then — for a consent
 * approval — the consent is recorded, so the last step of a sign-in is one
 * identity call.
 */
import { countCall, NotFound, Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { challengeShardName, transactionShardFor } from "./challenges/challenge_shard.ts"
import { CHALLENGE_MAX_TTL_SECONDS } from "./challenges/challenges.ts"
import { grantConsent } from "./users/consents.ts"
import { IdentityBindings, serviceName } from "./identity_bindings.ts"

const used = () => new NotFound({ what: "transaction" })

/** Claims transaction `id` (exactly one caller wins), then grants the consent when asked. */
export const finishTransaction = Effect.fnUntraced(function*(input: {
  readonly id: string
  readonly expiresAt: number
  readonly grantConsent?: { readonly userId: string; readonly clientId: string; readonly scopes: ReadonlyArray<string> } | undefined
}) {
  const shard = transactionShardFor(input.id)
  if (shard === null || !Number.isFinite(input.expiresAt)) return yield* used()
  const { challenges } = yield* IdentityBindings
  const stub = challenges.get(challenges.idFromName(challengeShardName(shard)))
  // Kept no longer than a challenge lives: a caller cannot park rows in the store.
  const expiresAt = Math.min(input.expiresAt, (yield* Clock.currentTimeMillis) + CHALLENGE_MAX_TTL_SECONDS * 1000)
  yield* countCall("durableObjectCalls")
  const won = yield* Effect.tryPromise({
    try: () => stub.claim(input.id, expiresAt),
    catch: (cause) => new Unavailable({ service: serviceName, reason: `ChallengeStore claim: ${cause instanceof Error ? cause.message : String(cause)}` })
  })
  if (!won) return yield* used()
  if (input.grantConsent !== undefined) yield* grantConsent(input.grantConsent)
  return {}
})
