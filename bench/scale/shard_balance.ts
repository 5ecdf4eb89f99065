/**
 * Shard balance evidence (issue 5, "Scale evidence"): routes synthetic users
 * and client addresses through the REAL shard functions and tests each
 * histogram against uniform. A shard that draws more than its share is the
 * one that meets the per-object limits first, so what matters is max/mean:
 * the hottest shard carries max/mean × the average shard's load.
 *
 * Run alone: `node bench/scale/shard_balance.ts`.
 */
import { createHash } from "node:crypto"
import { Effect } from "effect"
import { RATE_LIMIT_SHARDS, rateLimitShardFor } from "../../services/ratelimit/src/shard.ts"
import { SESSION_SHARD_COUNT, sessionShardFor } from "../../services/session/src/session_shard.ts"
import { balanceStats, type BalanceStats } from "./chi_square.ts"
import { clientAddressMix, PER_IP_POLICY } from "./synthetic_addresses.ts"
import { randomUuids, sequentialUserIds, type KeySet } from "./synthetic_user_ids.ts"

/** Balance of one key set over one shard family. */
export interface BalanceRow extends BalanceStats {
  readonly set: string
  readonly description: string
}

/** How the 5 M limiter keys were hashed, and the check that the shortcut is the same function. */
export interface LimiterHashCheck {
  readonly method: string
  readonly sampleSize: number
  readonly sampleMatches: number
  /** Measured throughput of the real (WebCrypto) function on the sample, keys per second. */
  readonly webCryptoKeysPerSecond: number
  readonly nodeCryptoKeysPerSecond: number
}

/** Everything the bench prints about shard balance. */
export interface ShardBalanceReport {
  readonly session: ReadonlyArray<BalanceRow>
  readonly rateLimit: ReadonlyArray<BalanceRow>
  readonly rateLimitKeyFormat: string
  readonly limiterHash: LimiterHashCheck
  readonly seconds: number
}

const SESSION_USERS = 1_000_000
const LIMITER_SAMPLE = 100_000
const WEBCRYPTO_BATCH = 10_000

/**
 * `rateLimitShardFor` with node:crypto's synchronous SHA-256 instead of
 * WebCrypto (measured ≈ 5× faster here; 5 M async digests would take about a
 * minute). Same formula — first 4 bytes big-endian mod 1000 — and checked
 * against the real function on a sample before it is trusted.
 */
const limiterShardSync = (key: string): number =>
  createHash("sha256").update(key, "utf8").digest().readUInt32BE(0) % RATE_LIMIT_SHARDS

const row = (set: KeySet, counts: ArrayLike<number>): BalanceRow => ({ set: set.name, description: set.description, ...balanceStats(counts) })

const sessionBalance = (set: KeySet): BalanceRow => {
  const counts = new Uint32Array(SESSION_SHARD_COUNT)
  for (const userId of set.keys()) counts[sessionShardFor(userId)]!++
  return row(set, counts)
}

/** Every `stride`-th key of the mix goes through the real async function; all must agree with the sync one. */
const checkLimiterShortcut = async (sets: ReadonlyArray<KeySet>): Promise<LimiterHashCheck> => {
  const total = sets.reduce((n, s) => n + s.count, 0)
  const stride = Math.floor(total / LIMITER_SAMPLE)
  const sample: Array<string> = []
  let i = 0
  for (const set of sets) for (const key of set.keys()) if (i++ % stride === 0 && sample.length < LIMITER_SAMPLE) sample.push(key)
  const webStart = performance.now()
  const real: Array<number> = []
  for (let b = 0; b < sample.length; b += WEBCRYPTO_BATCH) {
    real.push(...(await Promise.all(sample.slice(b, b + WEBCRYPTO_BATCH).map((key) => Effect.runPromise(rateLimitShardFor(key))))))
  }
  const webSeconds = (performance.now() - webStart) / 1000
  const nodeStart = performance.now()
  let sampleMatches = 0
  sample.forEach((key, k) => { if (limiterShardSync(key) === real[k]) sampleMatches++ })
  const nodeSeconds = (performance.now() - nodeStart) / 1000
  return {
    method: "node:crypto createHash('sha256'), same formula as rateLimitShardFor, verified on a sample through the real function",
    sampleSize: sample.length,
    sampleMatches,
    webCryptoKeysPerSecond: sample.length / webSeconds,
    nodeCryptoKeysPerSecond: sample.length / nodeSeconds
  }
}

/** Runs the balance experiments (≈ 20–30 s on one core). */
export const shardBalanceReport = async (): Promise<ShardBalanceReport> => {
  const start = performance.now()
  const session = [randomUuids(SESSION_USERS), sequentialUserIds(SESSION_USERS)].map(sessionBalance)
  const mix = clientAddressMix()
  const limiterHash = await checkLimiterShortcut(mix)
  if (limiterHash.sampleMatches !== limiterHash.sampleSize) throw new Error("node:crypto shard differs from rateLimitShardFor")
  const all = new Uint32Array(RATE_LIMIT_SHARDS)
  const parts: Array<BalanceRow> = []
  for (const set of mix) {
    const counts = new Uint32Array(RATE_LIMIT_SHARDS)
    for (const key of set.keys()) counts[limiterShardSync(key)]!++
    counts.forEach((c, s) => (all[s]! += c))
    parts.push(row(set, counts))
  }
  const total = mix.reduce((n, s) => n + s.count, 0)
  const whole: BalanceRow = { set: "all", description: `the whole mix, ${total.toLocaleString("en-US")} addresses`, ...balanceStats(all) }
  return {
    session,
    rateLimit: [whole, ...parts],
    rateLimitKeyFormat: `${PER_IP_POLICY}:<ip>`,
    limiterHash,
    seconds: (performance.now() - start) / 1000
  }
}

const fixed = (n: number, digits: number): string => n.toFixed(digits)
const int = (n: number): string => Math.round(n).toLocaleString("en-US")

const table = (rows: ReadonlyArray<BalanceRow>): string => {
  const header = ["set", "keys", "shards", "mean", "min", "max", "max/mean", "ideal", "chi2", "df", "crit 99.9%", "p", "uniform"]
  const lines = rows.map((r) => [
    r.set, int(r.count), String(r.shards), fixed(r.mean, 1), int(r.min), int(r.max), fixed(r.maxOverMean, 4), fixed(r.idealMaxOverMean, 4),
    fixed(r.chiSquare, 1), String(r.degreesOfFreedom), fixed(r.critical999, 1), r.pValue < 0.0001 ? r.pValue.toExponential(1) : fixed(r.pValue, 4),
    r.uniform ? "pass" : "FAIL"
  ])
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)))
  return [header, ...lines].map((l) => l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n")
}

const hottest = (r: BalanceRow): string =>
  `  ${r.set}: hottest shard gets ${fixed(r.maxOverMean, 3)} × the average (+${fixed((r.maxOverMean - 1) * 100, 1)} %), ` +
  `a perfectly random assignment ≈ ${fixed(r.idealMaxOverMean, 3)} ×`

/** The report as the bench prints it. */
export const formatShardBalance = (report: ShardBalanceReport): string => {
  const h = report.limiterHash
  return [
    `Shard balance (chi-square vs uniform; crit = 99.9 % quantile, Wilson–Hilferty; uniform = chi2 <= crit)`,
    ``,
    `SessionStore: sessionShardFor(userId), ${SESSION_SHARD_COUNT} shards`,
    ...report.session.map((r) => `  ${r.set}: ${r.description}`),
    table(report.session),
    ...report.session.map(hottest),
    ``,
    `RateLimiterCounter: rateLimitShardFor(key), ${RATE_LIMIT_SHARDS} shards, key = "${report.rateLimitKeyFormat}"`,
    ...report.rateLimit.map((r) => `  ${r.set}: ${r.description}`),
    table(report.rateLimit),
    ...report.rateLimit.filter((r) => r.set === "all").map(hottest),
    `  hash: ${h.method}: ${int(h.sampleMatches)}/${int(h.sampleSize)} sample keys identical; ` +
    `WebCrypto ${int(h.webCryptoKeysPerSecond)} keys/s vs node:crypto ${int(h.nodeCryptoKeysPerSecond)} keys/s`,
    ``,
    `(${fixed(report.seconds, 1)} s)`
  ].join("\n")
}

if (import.meta.main) console.log(formatShardBalance(await shardBalanceReport()))
