/**
 * Rate-limit service contract (`RateLimitService` entrypoint of `services/ratelimit`).
 * Fixed windows per key, counted exactly in a sharded `RateLimiterCounter`.
 */
import { Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/**
 * Outcome of one counted request. Times are epoch ms; `retryAfter` is whole
 * seconds (≥ 1 when denied, 0 when allowed) — ready for a `Retry-After` header.
 * `current` counts every request in the window, denied ones included, so it
 * can exceed `limit`.
 */
export const RateLimitDecision = Schema.Struct({
  allowed: Schema.Boolean,
  current: Schema.Number,
  limit: Schema.Number,
  resetAt: Schema.Number,
  retryAfter: Schema.Number
})
/** Type of {@link RateLimitDecision}. */
export type RateLimitDecision = typeof RateLimitDecision.Type

/** Longest accepted key (characters); keys are routing labels like `token:ip:<ip>`, not payloads. */
export const RATE_LIMIT_MAX_KEY_LENGTH = 512
/** Longest accepted window: 31 days. Longer "windows" are lockouts, which belong elsewhere. */
export const RATE_LIMIT_MAX_WINDOW_SECONDS = 31 * 24 * 60 * 60
/** Largest accepted `cost` of one check. */
export const RATE_LIMIT_MAX_COST = 1000
/** Most window checks, and most backoff steps, in one `checkMany` call. */
export const RATE_LIMIT_MAX_BATCH = 16

/**
 * Optional routing label of a key (added in issue 10): the shard that counts the key is chosen
 * by a hash of this label instead of the key itself, so keys of one subject (e.g. every
 * `…:ip:<ip>` key routed by `ip:<ip>`) live in one `RateLimiterCounter` and a `checkMany` of them
 * is one Durable Object request. A key must always be sent with the same label, or its count
 * splits between shards. Absent = the key routes itself (the shape before issue 10).
 */
const ShardKey = Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(RATE_LIMIT_MAX_KEY_LENGTH))

/**
 * Input of `check`. The checks make a nonsensical request (empty key, limit or
 * window ≤ 0, fractions, NaN) fail schema decoding: the caller's `makeClient`
 * refuses to send it (`RpcFailure`, rendered as 503 by `toWireError`, never a
 * 500), and the backend's `serve` refuses to run it. Encoded and decoded types
 * are still `string`/`number`, so existing callers compile unchanged.
 */
export const RateLimitCheck = Schema.Struct({
  key: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(RATE_LIMIT_MAX_KEY_LENGTH)),
  /** Requests admitted per window (integer ≥ 1). */
  limit: Schema.Number.check(Schema.isInt(), Schema.isGreaterThan(0)),
  /** Window length in whole seconds, 1 … {@link RATE_LIMIT_MAX_WINDOW_SECONDS}. */
  windowSeconds: Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: RATE_LIMIT_MAX_WINDOW_SECONDS })),
  /**
   * How much this check counts (integer 0 … {@link RATE_LIMIT_MAX_COST}; absent = 1).
   * `0` reads the window without counting or writing anything ("peek"): then
   * `allowed` says whether ONE more counted request would be admitted
   * (`current + 1 <= limit`), so a caller can refuse before doing work and
   * count only failures afterwards (failed sign-ins). With cost n ≥ 1 the
   * window grows by n and `allowed` is `current <= limit`.
   */
  cost: Schema.optional(Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: RATE_LIMIT_MAX_COST }))),
  /** Routing label (issue 10, optional): see {@link ShardKey}. */
  shardKey: Schema.optional(ShardKey)
})
/** Type of {@link RateLimitCheck}. */
export type RateLimitCheck = typeof RateLimitCheck.Type

/**
 * What a `backoff` call does to the record of its key: `peek` reads it,
 * `fail` counts one more consecutive failure (and pushes "not before" out),
 * `clear` forgets the key (a success ends the run of failures).
 */
export const BackoffStep = Schema.Literals(["peek", "fail", "clear"])
/** Type of {@link BackoffStep}. */
export type BackoffStep = typeof BackoffStep.Type

const wholeSeconds = Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: RATE_LIMIT_MAX_WINDOW_SECONDS }))

/**
 * Input of `backoff`: a progressive delay per key (exponential backoff on
 * consecutive failures, capped). After failure n the next attempt is not
 * admitted before `now + delay(n)`, where delay(n) = 0 for n ≤ `freeFailures`
 * and `min(baseSeconds · 2^(n − freeFailures − 1), maxSeconds)` after. The
 * record is forgotten `forgetSeconds` after its last failure (or at `clear`).
 * Unlike a window it never refuses for longer than `maxSeconds`: it slows a
 * guesser down without locking the owner out.
 */
export const BackoffCheck = Schema.Struct({
  key: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(RATE_LIMIT_MAX_KEY_LENGTH)),
  step: BackoffStep,
  /** Consecutive failures that cost no delay (integer 0 … 100). */
  freeFailures: Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: 100 })),
  /** First delay, in whole seconds. */
  baseSeconds: wholeSeconds,
  /** Cap of the delay, in whole seconds. */
  maxSeconds: wholeSeconds,
  /** Quiet time after the last failure after which the run of failures is forgotten, in whole seconds. */
  forgetSeconds: wholeSeconds,
  /** Routing label (issue 10, optional): see {@link ShardKey}. */
  shardKey: Schema.optional(ShardKey)
})
/** Type of {@link BackoffCheck}. */
export type BackoffCheck = typeof BackoffCheck.Type

/**
 * State of a backoff key after the call. `allowed`: an attempt now is
 * admitted (`now ≥ notBefore`); `retryAfter` whole seconds until it is (≥ 1
 * when not allowed, else 0); `failures` the consecutive failures counted;
 * `notBefore` epoch ms (0 when none is pending).
 */
export const BackoffDecision = Schema.Struct({
  allowed: Schema.Boolean,
  failures: Schema.Number,
  notBefore: Schema.Number,
  retryAfter: Schema.Number
})
/** Type of {@link BackoffDecision}. */
export type BackoffDecision = typeof BackoffDecision.Type

/**
 * Input of `checkMany` (issue 10): several window checks and backoff steps of ONE request,
 * answered together. The service sends one Durable Object request per distinct shard among
 * them (see `shardKey`), and each shard decides its part in one synchronous step, so the
 * checks of one shard are exact together. Every check is applied (counted, peeked or stepped)
 * whatever the others answer; the caller reads the decisions in the order it sent them.
 */
export const RateLimitBatch = Schema.Struct({
  windows: Schema.Array(RateLimitCheck).check(Schema.isMaxLength(RATE_LIMIT_MAX_BATCH)),
  backoffs: Schema.Array(BackoffCheck).check(Schema.isMaxLength(RATE_LIMIT_MAX_BATCH))
})
/** Type of {@link RateLimitBatch}. */
export type RateLimitBatch = typeof RateLimitBatch.Type

/** Output of `checkMany`: one decision per check, in the order of the input. */
export const RateLimitBatchDecision = Schema.Struct({
  windows: Schema.Array(RateLimitDecision),
  backoffs: Schema.Array(BackoffDecision)
})
/** Type of {@link RateLimitBatchDecision}. */
export type RateLimitBatchDecision = typeof RateLimitBatchDecision.Type

/** Method schemas of the rate-limit service. */
export const RateLimitContract = {
  /** Counts one request (or `cost` of them; 0 only reads) against `key` (e.g. `token:ip:203.0.113.9`) in a fixed window. */
  check: rpcMethod(
    RateLimitCheck,
    RateLimitDecision,
    Unavailable
  ),
  /**
   * Reads, advances (one more failure) or clears the progressive delay of `key`
   * (e.g. `login-backoff:account:<hash>`). Added in issue 9 §4; exact under
   * concurrency (N parallel `fail`s count N). An edge older than this method never calls it.
   */
  backoff: rpcMethod(
    BackoffCheck,
    BackoffDecision,
    Unavailable
  ),
  /**
   * Several checks and backoff steps of one request in one call (issue 10): one Durable Object
   * request per distinct shard among them. Fails as a whole (`Unavailable`) when any shard cannot
   * answer. An edge older than this method never calls it.
   */
  checkMany: rpcMethod(
    RateLimitBatch,
    RateLimitBatchDecision,
    Unavailable
  )
} as const
export const RateLimitContractVersion = contractVersion(RateLimitContract, { name: "rate_limit", version: 1 })

/** RPC interface of `RateLimitService`. */
export type RateLimitRpc = RpcInterface<typeof RateLimitContract>
