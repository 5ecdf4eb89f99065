/**
 * Device-grant fixtures: the programs run against this worker's real
 * DeviceCodeStore shards and the keys service, under a clock the test moves.
 */
import { env } from "cloudflare:workers"
import { Cause, Clock, Effect, Exit } from "effect"
import { DeviceCodeStores } from "../src/device/device_stores.ts"
import { TokenStores } from "../src/token_stores.ts"
import { audit, issuer, type ManualClock } from "./token_fixtures.ts"
import { AuditTrail } from "@authrim/audit-trail"

const provided = <A, E>(effect: Effect.Effect<A, E, TokenStores | DeviceCodeStores | AuditTrail>, clock: ManualClock) =>
  effect.pipe(
    Effect.provideService(TokenStores, TokenStores.fromEnv(env)),
    Effect.provideService(DeviceCodeStores, DeviceCodeStores.fromEnv(env)),
    Effect.provideService(AuditTrail, audit.service),
    Effect.provideService(Clock.Clock, clock)
  )

/** Runs a device program; a typed failure rejects. */
export const runDevice = <A, E>(effect: Effect.Effect<A, E, TokenStores | DeviceCodeStores | AuditTrail>, clock: ManualClock): Promise<A> =>
  Effect.runPromise(provided(effect, clock))

/** The wire code a device program fails with ("ok" when it succeeds). */
export const outcomeOf = async <A, E extends { readonly _tag: string }>(effect: Effect.Effect<A, E, TokenStores | DeviceCodeStores | AuditTrail>, clock: ManualClock): Promise<string> => {
  const exit = await Effect.runPromiseExit(provided(effect, clock))
  if (Exit.isSuccess(exit)) return "ok"
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (failure === undefined) throw Cause.squash(exit.cause)
  const error = failure.error
  return "code" in error ? String(error.code) : error._tag
}

/** A poll input for the device code of `clientId`. */
export const pollInput = (deviceCode: string, clientId = "tv-client", issueRefreshToken = true) => ({
  issuer, issueRefreshToken, idTokenAlg: "RS256" as const, deviceCode, clientId
})

/** An approval by `userId` of `userCode`. */
export const decision = (userCode: string, choice: "approve" | "deny", userId = "user-1") => ({
  userCode, decision: choice, userId, authTime: Date.now() - 1_000, acr: null, amr: ["pwd"], sid: "sid-dev"
})
