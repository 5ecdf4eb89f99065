/**
 * Keys the limiter has refused, remembered in isolate memory until their
 * window resets. In a fixed window the count only rises, so every later
 * request of that window would be refused too: answering from memory gives
 * the same verdict without a Durable Object request. This keeps a flood from
 * one key (one IP hammering /token) from turning into a flood on the one
 * RateLimiterCounter shard that key maps to — that object would otherwise
 * take the attacker's full rate (docs/scale.md). The price: refused requests
 * answered here are not added to the stored count.
 */
import type { RateLimitDecision } from "@authrim/contracts"

/** Bound of the memory (oldest entries leave first); a refusal forgotten early only costs one more limiter call. */
export const MAX_KNOWN_REFUSALS = 10_000

const refusals = new Map<string, RateLimitDecision>()

/** The remembered refusal of `key` if its window is still running at `now`. */
export const knownRefusal = (key: string, now: number): RateLimitDecision | null => {
  const decision = refusals.get(key)
  if (decision === undefined) return null
  if (decision.resetAt > now) return { ...decision, retryAfter: Math.max(1, Math.ceil((decision.resetAt - now) / 1000)) }
  refusals.delete(key)
  return null
}

/** Remembers a refusal of `key` until its window resets. */
export const rememberRefusal = (key: string, decision: RateLimitDecision): void => {
  refusals.delete(key)
  refusals.set(key, decision)
  if (refusals.size > MAX_KNOWN_REFUSALS) refusals.delete(refusals.keys().next().value!)
}
