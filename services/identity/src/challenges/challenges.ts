/** Challenge programs of the entrypoint: route by the shard in the id, call the shard's ChallengeStore. */
import { countCall, NotFound, OAuthError, Unavailable, type ChallengeType } from "@authrim/contracts"
import { Effect } from "effect"
import { challengeShardName, newChallengeId, shardOfChallengeId } from "./challenge_shard.ts"
import type { ChallengeStore } from "./challenge_store.ts"
import { decodeStoredChallenge, type StoredChallenge } from "./challenge_table.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

/** DESIGN §2: a challenge lives 15 minutes at most; callers may ask for less. */
export const CHALLENGE_MAX_TTL_SECONDS = 15 * 60

const stubFailure = (operation: string) => (cause: unknown) =>
  new Unavailable({ service: serviceName, reason: `ChallengeStore ${operation}: ${cause instanceof Error ? cause.message : String(cause)}` })

/** The shard's stub, for one call (counted in the call's metrics: contracts/src/call_counters.ts). */
const shardStub = Effect.fnUntraced(function*(shard: number) {
  const { challenges } = yield* IdentityBindings
  yield* countCall("durableObjectCalls")
  return challenges.get(challenges.idFromName(challengeShardName(shard)))
})

const notFound = () => new NotFound({ what: "challenge" })

/** Mints and stores a challenge on the user's shard (a random shard when there is no user). */
export const createChallenge = Effect.fnUntraced(function*(input: {
  readonly type: ChallengeType
  readonly userId: string | null
  readonly metadata: Record<string, unknown>
  readonly ttlSeconds?: number | undefined
}) {
  const ttlSeconds = input.ttlSeconds ?? CHALLENGE_MAX_TTL_SECONDS
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    return yield* new OAuthError({ code: "invalid_request", description: "ttlSeconds must be positive" })
  }
  const id = newChallengeId(input.userId)
  const shard = shardOfChallengeId(id)
  if (shard === null) return yield* new Unavailable({ service: serviceName, reason: "minted a challenge id that does not parse" })
  const stub = yield* shardStub(shard)
  const ttlMs = Math.round(Math.min(ttlSeconds, CHALLENGE_MAX_TTL_SECONDS) * 1000)
  const metadataJson = JSON.stringify(input.metadata)
  const created: StoredChallenge = yield* Effect.tryPromise({
    try: () => stub.create({ id, type: input.type, userId: input.userId, metadataJson, ttlMs }),
    catch: stubFailure("create")
  })
  return decodeStoredChallenge(created)
})

/** Runs `call` on the shard named in `id`; a malformed id or a missing challenge is `NotFound`. */
const onShard = Effect.fnUntraced(function*(
  id: string,
  operation: string,
  call: (stub: DurableObjectStub<ChallengeStore>) => Promise<StoredChallenge | null>
) {
  const shard = shardOfChallengeId(id)
  if (shard === null) return yield* notFound()
  const stub = yield* shardStub(shard)
  const found: StoredChallenge | null = yield* Effect.tryPromise({ try: () => call(stub), catch: stubFailure(operation) })
  if (found === null) return yield* notFound()
  return decodeStoredChallenge(found)
})

/** A live challenge of `type`, not consumed. */
export const peekChallenge = (input: { readonly id: string; readonly type: ChallengeType }) =>
  onShard(input.id, "peek", (stub) => stub.peek(input.id, input.type))

/** Atomically checks type and expiry and consumes; every other caller gets `NotFound`. */
export const consumeChallenge = (input: { readonly id: string; readonly type: ChallengeType }) =>
  onShard(input.id, "consume", (stub) => stub.consume(input.id, input.type))
