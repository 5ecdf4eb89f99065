/**
 * Requests per second per Durable Object at the 10 M MAU peak (docs/scale.md):
 * each class's monthly requests (cost model) → average rate × peak factor →
 * per object, spread over its shards with the hottest shard's excess
 * (max/mean from the shard-balance run where one was measured), against the
 * ~1,000 req/s a single object handles.
 */
import type { CostPerOp } from "./model.ts"
import { doRequestsPerMonth } from "./model.ts"
import { profile, secondsPerMonth } from "./profile.ts"

/** Objects each class's load is spread over, and why (see each service's storage-schema.md). */
export const shardsByClass: Readonly<Record<string, { readonly shards: number; readonly routing: string }>> = {
  SessionStore: { shards: 100, routing: "hash of user id (session_shard.ts)" },
  RateLimiterCounter: { shards: 1000, routing: "SHA-256 of `<policy>:<ip|account>` (shard.ts)" },
  AuthorizationCodeStore: { shards: 32, routing: "random shard named in the code" },
  RefreshTokenRotator: { shards: 8, routing: "8 per client by family — worst case: every refresh through ONE client" },
  TokenRevocationStore: { shards: 32, routing: "hash of jti" },
  RefreshFamilyIndex: { shards: 32, routing: "hash of user id (shard_routing.ts familyIndexShardName)" },
  ChallengeStore: { shards: 64, routing: "hash of user id / named in the challenge id" },
  AssertionJtiStore: { shards: 32, routing: "hash of client id" },
  PARRequestStore: { shards: 32, routing: "random shard named in the request_uri" },
  DeviceCodeStore: { shards: 32, routing: "hash of the user code" },
  DPoPJTIStore: { shards: 32, routing: "hash of the proof key thumbprint" },
  KeyManager: { shards: 1, routing: "singleton; asked once per keys isolate per minute" }
}

/** Peak load of one class. */
export interface DoLoad {
  readonly className: string
  readonly requestsPerMonth: number
  readonly peakPerSecond: number
  readonly shards: number
  /** Hottest object's share relative to the mean (1 = perfectly even). */
  readonly hottestFactor: number
  readonly peakPerObject: number
  /** Fraction of the ~1,000 req/s soft limit the hottest object uses. */
  readonly budgetUsed: number
}

/** The soft limit of one Durable Object (DESIGN §2). */
export const objectSoftLimitPerSecond = 1000

/** Per-class peak load; `hottest` gives measured max/mean per class (absent: 1). */
export const doLoadAtPeak = (perOp: CostPerOp, hottest: Readonly<Record<string, number>> = {}): ReadonlyArray<DoLoad> =>
  Object.entries(doRequestsPerMonth(perOp))
    .filter(([, n]) => n > 0)
    .map(([className, requestsPerMonth]) => {
      const shards = shardsByClass[className]?.shards ?? 1
      // The KeyManager's rate is set by the number of isolates, not by traffic: no peak factor.
      const peakPerSecond = className === "KeyManager" ? profile.keysIsolates / 60 : (requestsPerMonth / secondsPerMonth) * profile.peakFactor
      const hottestFactor = hottest[className] ?? 1
      const peakPerObject = (peakPerSecond / shards) * hottestFactor
      return { className, requestsPerMonth, peakPerSecond, shards, hottestFactor, peakPerObject, budgetUsed: peakPerObject / objectSoftLimitPerSecond }
    })
    .sort((a, b) => b.budgetUsed - a.budgetUsed)

/** The load table as text. */
export const formatDoLoad = (loads: ReadonlyArray<DoLoad>): string => {
  const out = [
    `Durable Object load at peak (${profile.peakFactor}× the month's average rate; soft limit ~${objectSoftLimitPerSecond} req/s per object)`,
    `  ${"class".padEnd(24)} ${"req/month".padStart(10)} ${"peak req/s".padStart(11)} ${"objects".padStart(8)} ${"max/mean".padStart(9)} ${"req/s/object".padStart(13)} ${"budget".padStart(7)}`
  ]
  for (const l of loads) {
    out.push(`  ${l.className.padEnd(24)} ${(l.requestsPerMonth / 1e6).toFixed(1).padStart(9)}M ${l.peakPerSecond.toFixed(0).padStart(11)} ${String(l.shards).padStart(8)} ${l.hottestFactor.toFixed(3).padStart(9)} ${l.peakPerObject.toFixed(1).padStart(13)} ${`${(100 * l.budgetUsed).toFixed(1)}%`.padStart(7)}`)
  }
  const over = loads.filter((l) => l.budgetUsed > 1)
  out.push(over.length === 0 ? "  no object is over budget" : `  OVER BUDGET: ${over.map((l) => l.className).join(", ")}`)
  return out.join("\n")
}
