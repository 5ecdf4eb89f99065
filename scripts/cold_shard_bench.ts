/**
 * `npm run bench:cold-shard [-- --shards N] [--idle SECONDS]`: does the shard
 * warm-up (contracts/src/warm_up.ts, DESIGN §5) lower the first request of a
 * cold RateLimiterCounter shard? Under one `wrangler dev` (fresh state, cost
 * meter off), through the edge's bench-only `/dev/rate-limit-check`:
 *
 * - cold: the first check of N never-used shards, each followed by a second
 *   check of the same key (warm, the baseline);
 * - warmed: N other never-used shards pinged by `/dev/warm-up` first, then
 *   their first check;
 * - idle: the cold group's keys again after `--idle` seconds without a
 *   request to them (does workerd evict an idle object, so that a periodic
 *   warm-up would have something to keep warm?); with `--keep-warm S` the
 *   cold group's shards are pinged every S seconds during the idle, as a
 *   warm-up cron would.
 *
 * Prints median and p90 per group and the ratios to the warm baseline: the
 * result is written up in docs/performance.md "Shard warm-up". Numbers
 * compare only within a run.
 */
import { createHash } from "node:crypto"
import { mkdirSync, rmSync } from "node:fs"
import path from "node:path"
import { authrimBenchVars } from "../bench/authrim_vars.ts"
import { freePort, migrate, repoRoot, startDev, workerConfigs } from "./local_stack.ts"

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback
  return Number.isFinite(value) && value > 0 ? value : fallback
}
const perGroup = Math.min(arg("shards", 40), 300)
const idleSeconds = arg("idle", 75)
/** `--keep-warm S`: during the idle, ping the cold group's shards every S seconds (what a warm-up cron would do). */
const keepWarmSeconds = process.argv.includes("--keep-warm") ? arg("keep-warm", 60) : undefined

/** services/ratelimit/src/shard.ts: first 4 bytes of SHA-256(key), big-endian, mod 1000 — of the key the route counts (`bench:` prefix). */
const shardOf = (key: string): number => createHash("sha256").update(`bench:${key}`).digest().readUInt32BE(0) % 1000

/** One key per shard for `count` distinct shards not in `taken`. */
const keysOnFreshShards = (count: number, taken: Set<number>, label: string): Array<{ key: string; shard: number }> => {
  const out: Array<{ key: string; shard: number }> = []
  for (let i = 0; out.length < count; i++) {
    const key = `${label}-${i}`
    const shard = shardOf(key)
    if (taken.has(shard)) continue
    taken.add(shard)
    out.push({ key, shard })
  }
  return out
}

const stats = (samples: ReadonlyArray<number>) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { median: at(0.5), p90: at(0.9) }
}

const runDir = path.join(repoRoot, "bench/tmp", `cold-shard-${new Date().toISOString().replace(/[:.]/g, "-")}`)
const persistDir = path.join(runDir, "state")
mkdirSync(runDir, { recursive: true })
migrate(persistDir)
const port = await freePort()
const issuer = `http://127.0.0.1:${port}`
const dev = await startDev({ configs: workerConfigs, persistDir, port, vars: authrimBenchVars(issuer) })
try {
  const check = async (key: string): Promise<number> => {
    const started = performance.now()
    const res = await fetch(`${issuer}/dev/rate-limit-check`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key }) })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`rate-limit-check answered ${res.status}`)
    return performance.now() - started
  }
  // Warm the edge, the ratelimit worker and the RPC path on one shard the groups never use.
  const taken = new Set<number>()
  const [primer] = keysOnFreshShards(1, taken, "primer")
  for (let i = 0; i < 50; i++) await check(primer!.key)

  const cold = keysOnFreshShards(perGroup, taken, "cold")
  const warmed = keysOnFreshShards(perGroup, taken, "warmed")
  // Each measured check is paired with a check of the primer shard right after it (warm: used a moment ago),
  // so load from anything else on the machine hits both alike; the report compares within pairs.
  const paired = async (keys: ReadonlyArray<{ key: string }>) => {
    const measured: Array<number> = []
    const baseline: Array<number> = []
    for (const { key } of keys) {
      measured.push(await check(key))
      baseline.push(await check(primer!.key))
    }
    return { measured, baseline }
  }
  const coldFirst = await paired(cold)
  const warmUp = async (shards: ReadonlyArray<{ shard: number }>) => {
    const res = await fetch(`${issuer}/dev/warm-up`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ shards: shards.map((w) => w.shard) }) })
    const answer = await res.json() as { pinged?: number; failed?: number }
    if (res.status !== 200 || answer.pinged !== shards.length) throw new Error(`warm-up answered ${res.status} ${JSON.stringify(answer)}`)
  }
  await warmUp(warmed)
  const warmedFirst = await paired(warmed)
  const warmAgain = await paired(cold)

  console.log(`• idle ${idleSeconds} s (no check on the cold group's shards${keepWarmSeconds === undefined ? "" : `, a warm-up of them every ${keepWarmSeconds} s`}; the primer shard keeps the workers busy)…`)
  const idleUntil = Date.now() + idleSeconds * 1000
  let nextWarmUp = keepWarmSeconds === undefined ? Infinity : Date.now() + keepWarmSeconds * 1000
  while (Date.now() < idleUntil) {
    await check(primer!.key)
    if (Date.now() >= nextWarmUp) {
      await warmUp(cold)
      nextWarmUp += keepWarmSeconds! * 1000
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
  const afterIdle = await paired(cold)

  const row = (label: string, { measured, baseline }: { measured: ReadonlyArray<number>; baseline: ReadonlyArray<number> }) => {
    const m = stats(measured)
    const b = stats(baseline)
    const extra = stats(measured.map((x, i) => x - baseline[i]!))
    return `${label.padEnd(40)} median ${m.median.toFixed(1).padStart(6)} ms  p90 ${m.p90.toFixed(1).padStart(6)} ms │ ` +
      `paired warm shard ${b.median.toFixed(1).padStart(6)} ms │ ×warm ${(m.median / b.median).toFixed(2)}  extra (median of pairs) ${extra.median.toFixed(1)} ms`
  }
  console.log(`\nRateLimiterCounter, ${perGroup} shards per group, through the edge (wrangler dev, ${new Date().toISOString().slice(0, 10)}):`)
  console.log(row("cold: first check of a never-used shard", coldFirst))
  console.log(row("warmed: first check after /dev/warm-up", warmedFirst))
  console.log(row("warm: the cold group again at once", warmAgain))
  console.log(row(`idle: the cold group after ${idleSeconds} s${keepWarmSeconds === undefined ? "" : ` (warm-up every ${keepWarmSeconds} s)`}`, afterIdle))
} finally {
  await dev.stop()
  rmSync(runDir, { recursive: true, force: true })
}
