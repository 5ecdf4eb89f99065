/**
 * What fills one shard for the memory measurement: inputs that the REAL
 * shard functions route to a single shard, so every call lands in the same
 * SessionStore / RateLimiterCounter, with realistic contents.
 */
import { createHash } from "node:crypto"
import { Effect } from "effect"
import { deviceNameFrom } from "../../services/edge/src/account/device_name.ts"
import { DEFAULT_POLICIES } from "../../services/edge/src/http/rate_limit_policies.ts"
import { RATE_LIMIT_SHARDS, rateLimitShardFor } from "../../services/ratelimit/src/shard.ts"
import { sessionShardFor } from "../../services/session/src/session_shard.ts"
import type { RateLimitCheckInput, SessionCreateInput } from "./driver/worker.ts"
import { seededRandom } from "./seeded_random.ts"
import { randomUuids } from "./synthetic_user_ids.ts"

/** Current browsers (116–139 characters), the size a real session keeps. */
const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36",
  "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 (compatible; corporate-build 2024.11)"
]

/** How people sign in (edge: passwordMethod, password + TOTP, passkeyMethod). */
const SIGN_INS: ReadonlyArray<{ amr: ReadonlyArray<string>; acr: string | null }> = [
  { amr: ["pwd"], acr: null },
  { amr: ["pwd"], acr: null },
  { amr: ["pwd", "otp", "mfa"], acr: null },
  { amr: ["swk", "user", "mfa"], acr: "phr" }
]

const ipv4 = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
const ipv6 = (random: () => number) =>
  `2a0${random() % 10}:${Array.from({ length: 7 }, () => (random() & 0xffff).toString(16)).join(":")}`

/** `count` session `create` inputs whose user ids `sessionShardFor` routes to `shard` (random v4 UUIDs, filtered). */
export const sessionInputsForShard = (shard: number, count: number): Array<SessionCreateInput> => {
  const random = seededRandom(77)
  const inputs: Array<SessionCreateInput> = []
  const now = Date.now()
  for (const userId of randomUuids(count * 400, 11).keys()) {
    if (sessionShardFor(userId) !== shard) continue
    const r = random()
    const userAgent = USER_AGENTS[r % USER_AGENTS.length]!
    // Each string its own copy, as after structured-clone over RPC; the shard keeps what it receives.
    inputs.push({
      userId,
      ...SIGN_INS[(r >>> 8) % SIGN_INS.length]!,
      authTime: now - (r % 3_600_000),
      deviceName: deviceNameFrom(userAgent),
      ipAddress: r & 1 ? ipv4(random()) : ipv6(random),
      userAgent
    })
    if (inputs.length === count) return inputs
  }
  throw new Error(`only ${inputs.length} of ${count} user ids fell in session shard ${shard}`)
}

/** Same formula as `rateLimitShardFor`, synchronous (node:crypto) for the search; the picks are re-checked with the real one. */
const limiterShardSync = (key: string): number => createHash("sha256").update(key, "utf8").digest().readUInt32BE(0) % RATE_LIMIT_SHARDS

/**
 * `count` checks under the per-IP `/authorize` policy whose keys
 * (`authorize:ip:<random IPv4>`) `rateLimitShardFor` routes to `shard`.
 * Searching takes ~1000 hashes per hit (≈ 5 M for 5,000 keys).
 */
export const limiterInputsForShard = async (shard: number, count: number): Promise<Array<RateLimitCheckInput>> => {
  const policy = DEFAULT_POLICIES.authorize
  const random = seededRandom(99)
  const keys: Array<string> = []
  while (keys.length < count) {
    const key = `${policy.name}:${ipv4(random())}`
    if (limiterShardSync(key) === shard) keys.push(key)
  }
  const real = await Promise.all(keys.map((key) => Effect.runPromise(rateLimitShardFor(key))))
  if (real.some((s) => s !== shard)) throw new Error("node:crypto shard search disagrees with rateLimitShardFor")
  return keys.map((key) => ({ key, limit: policy.limit, windowSeconds: policy.windowSeconds }))
}
