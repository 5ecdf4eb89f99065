/**
 * Second-factor attempts per account (sign-in, enrolment confirmation,
 * disabling): 10 per hour, successes included (the ratelimit contract cannot
 * test a counter without counting, see LOGIN_PER_ACCOUNT). RFC 4226 §7.3 asks
 * for throttling: with ±1 step three of 10^6 codes are valid at a time, so 10
 * guesses an hour give an attacker who already has the password about 0.07 %
 * a day — and each guess is logged as a failed sign-in to the real user.
 */
import type { RateLimitDecision } from "@authrim/contracts"
import type { Effect } from "effect"
import type { Edge } from "../edge_layer.ts"
import { rateLimitGate, type RateLimitPolicy } from "./rate_limit_gate.ts"

/** The policy (keyed by user id: not personal data beyond an opaque id). */
export const SECOND_FACTOR_PER_ACCOUNT: RateLimitPolicy = { name: "mfa:account", limit: 10, windowSeconds: 3600 }

/** Counts one second-factor attempt of `userId`; null when allowed, else the denying decision. */
export const secondFactorAttemptLimit = (userId: string): Effect.Effect<RateLimitDecision | null, never, Edge> =>
  rateLimitGate(SECOND_FACTOR_PER_ACCOUNT, userId)