/**
 * Memory of one full shard, MEASURED in workerd (issue 5, "Scale evidence"):
 * one SessionStore holding 10,000 sessions and one RateLimiterCounter holding
 * 5,000 keys, against the 128 MB isolate limit.
 *
 * Method: one `wrangler dev` (scripts/local_stack.ts `startDev`, as `npm
 * start` and the bench use) runs the bench driver (driver/), the session
 * service and the ratelimit service. Locally, a worker's Durable Objects run
 * in that worker's isolate, so the session isolate's heap after minus before
 * filling one shard is that shard's memory. Heap numbers come from workerd's
 * inspector (`HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage`);
 * the baseline is taken after the shard's object exists and every code path
 * of the fill has run once, so the delta is the stored data, not code.
 *
 * Run alone: `node bench/scale/memory.ts`.
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs"
import path from "node:path"
import { freePort, migrate, repoRoot, startDev, type DevServer } from "../../scripts/local_stack.ts"
import { sessionShardFor } from "../../services/session/src/session_shard.ts"
import type { DriverRequest, RateLimitCheckInput, SessionCreateInput } from "./driver/worker.ts"
import { limiterInputsForShard, sessionInputsForShard } from "./shard_fill_inputs.ts"
import { findWorkerdInspector, openHeapReader, type HeapReader, type HeapUsage } from "./workerd_inspector.ts"

/** Memory limit of one Workers isolate (Durable Objects included). */
export const ISOLATE_LIMIT_BYTES = 128 * 1024 * 1024

const SESSIONS = 10_000
const LIMITER_KEYS = 5_000
const SESSION_SHARD = 42
const LIMITER_SHARD = 7
const BATCH = 500

/** One filled shard's measurement. */
export interface ShardMemory {
  readonly durableObject: "SessionStore" | "RateLimiterCounter"
  readonly worker: string
  readonly shard: number
  readonly items: number
  readonly itemName: string
  /** Isolate heap after GC, shard created and warmed but empty. */
  readonly before: HeapUsage
  /** Isolate heap after GC, shard holding `items`. */
  readonly after: HeapUsage
  readonly deltaBytes: number
  readonly bytesPerItem: number
  /** deltaBytes as a percentage of the 128 MB isolate limit. */
  readonly deltaPercentOfLimit: number
  /** The whole isolate's used heap after the fill, as a percentage of the limit. */
  readonly afterPercentOfLimit: number
  readonly fillSeconds: number
  /** The shard's SQLite database file and its write-ahead log on disk, when found. */
  readonly sqlite: { readonly databaseBytes: number; readonly walBytes: number } | null
}

/** Everything the bench prints about shard memory. */
export interface MemoryReport {
  readonly method: string
  readonly isolateLimitBytes: number
  readonly session: ShardMemory
  readonly rateLimit: ShardMemory
  readonly seconds: number
}

const post = async (server: DevServer, request: DriverRequest): Promise<void> => {
  const res = await fetch(server.url, { method: "POST", body: JSON.stringify(request) })
  const text = await res.text()
  if (!res.ok) throw new Error(`driver ${request.op}: ${res.status} ${text.slice(0, 2000)}`)
  const body = JSON.parse(text) as { ok: number; failures: Array<unknown> }
  if (body.failures.length > 0) throw new Error(`driver ${request.op}: ${JSON.stringify(body.failures)}`)
}

/** Largest SQLite database (+ its WAL) of a DO class under the persist folder: the filled shard's. */
const largestSqlite = (persistDir: string, folder: string): ShardMemory["sqlite"] => {
  const dir = path.join(persistDir, "v3", "do", folder)
  if (!existsSync(dir)) return null
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite")).map((f) => {
    const wal = path.join(dir, `${f}-wal`)
    return { databaseBytes: statSync(path.join(dir, f)).size, walBytes: existsSync(wal) ? statSync(wal).size : 0 }
  })
  return files.sort((a, b) => b.databaseBytes + b.walBytes - (a.databaseBytes + a.walBytes))[0] ?? null
}

const shardMemory = (
  fields: Pick<ShardMemory, "durableObject" | "worker" | "shard" | "items" | "itemName" | "before" | "after" | "fillSeconds" | "sqlite">
): ShardMemory => {
  const deltaBytes = fields.after.usedSize - fields.before.usedSize
  return {
    ...fields,
    deltaBytes,
    bytesPerItem: deltaBytes / fields.items,
    deltaPercentOfLimit: (deltaBytes / ISOLATE_LIMIT_BYTES) * 100,
    afterPercentOfLimit: (fields.after.usedSize / ISOLATE_LIMIT_BYTES) * 100
  }
}

/** The inputs of one measurement, prepared before the stack starts (the limiter key search takes seconds). */
interface FillInputs {
  readonly sessions: ReadonlyArray<SessionCreateInput>
  /** A user of the target shard that is never given a session (opens the shard empty). */
  readonly emptyShardUser: string
  /** A session in ANOTHER shard: runs the whole `create` path once before the baseline. */
  readonly otherShardSession: SessionCreateInput
  readonly limits: ReadonlyArray<RateLimitCheckInput>
  /** A key of ANOTHER limiter shard: warms the counting path and serves as the harmless GC poke. */
  readonly otherShardLimit: RateLimitCheckInput
}

/** A reload of the workers mid-measurement (wrangler rebuilds when a source file changes): the numbers are void. */
class WorkersReloaded extends Error {}

const fillInputs = async (): Promise<FillInputs> => {
  const sessions = sessionInputsForShard(SESSION_SHARD, SESSIONS + 1)
  const empty = sessions.pop()!
  const otherShardSession = { ...empty, userId: "bench-warm-up-user" }
  if (sessionShardFor(otherShardSession.userId) === SESSION_SHARD) throw new Error("warm-up user must live in another shard")
  return {
    sessions,
    emptyShardUser: empty.userId,
    otherShardSession,
    limits: await limiterInputsForShard(LIMITER_SHARD, LIMITER_KEYS),
    otherShardLimit: (await limiterInputsForShard(LIMITER_SHARD + 1, 1))[0]!
  }
}

/** One stack, both shards filled and measured; throws WorkersReloaded when workerd was restarted meanwhile. */
const measureOnce = async (inputs: FillInputs): Promise<Pick<MemoryReport, "session" | "rateLimit">> => {
  const persistDir = path.join(repoRoot, "bench", "tmp", `scale-memory-${process.pid}-${Date.now()}`)
  migrate(persistDir)
  const server = await startDev({
    configs: ["bench/scale/driver", "services/session", "services/ratelimit"].map((p) => path.join(repoRoot, p, "wrangler.jsonc")),
    persistDir,
    port: await freePort()
  })
  const readers: Array<HeapReader> = []
  try {
    const send = async (request: DriverRequest) => {
      try {
        await post(server, request)
      } catch (error) {
        if (String(error).includes("restarted mid-request")) throw new WorkersReloaded(String(error))
        throw error
      }
    }
    const inspector = await findWorkerdInspector(server.process.pid!)
    const poke = () => send({ op: "poke", peek: inputs.otherShardLimit })
    // One inspector session at a time: with two open, workerd left the second unanswered.
    const reader = async (worker: string) => {
      for (const open of readers.splice(0)) await open.close()
      const opened = await openHeapReader(inspector, worker, poke)
      readers.push(opened)
      return opened
    }
    const fill = async <T>(items: ReadonlyArray<T>, request: (batch: ReadonlyArray<T>) => DriverRequest): Promise<number> => {
      const t = performance.now()
      for (let i = 0; i < items.length; i += BATCH) await send(request(items.slice(i, i + BATCH)))
      return (performance.now() - t) / 1000
    }

    await send({ op: "create-sessions", inputs: [inputs.otherShardSession] })
    await send({ op: "list-sessions", userId: inputs.emptyShardUser })
    const sessionHeap = await reader("authrim-session")
    const sessionBefore = await sessionHeap.heapAfterGc()
    const sessionFill = await fill(inputs.sessions, (batch) => ({ op: "create-sessions", inputs: batch }))
    const sessionAfter = await sessionHeap.heapAfterGc()

    // Counting once in another shard warms the path (and schedules that shard's alarm); a peek writes nothing but opens the target shard.
    await send({ op: "check-limits", inputs: [inputs.otherShardLimit] })
    await send({ op: "check-limits", inputs: [{ ...inputs.limits[0]!, cost: 0 }] })
    const limiterHeap = await reader("authrim-ratelimit")
    const limiterBefore = await limiterHeap.heapAfterGc()
    // The policy's 60 s windows end (and the alarm sweeps them) a minute after they open: the fill takes seconds.
    const limiterFill = await fill(inputs.limits, (batch) => ({ op: "check-limits", inputs: batch }))
    const limiterAfter = await limiterHeap.heapAfterGc()

    // A reload starts a new workerd on a new inspector port; the same port means the same isolates throughout.
    if ((await findWorkerdInspector(server.process.pid!)) !== inspector) throw new WorkersReloaded("workerd was restarted")
    return {
      session: shardMemory({
        durableObject: "SessionStore", worker: "authrim-session", shard: SESSION_SHARD, items: inputs.sessions.length, itemName: "session",
        before: sessionBefore, after: sessionAfter, fillSeconds: sessionFill, sqlite: null // its rows live in D1, not in the DO
      }),
      rateLimit: shardMemory({
        durableObject: "RateLimiterCounter", worker: "authrim-ratelimit", shard: LIMITER_SHARD, items: inputs.limits.length, itemName: "key",
        before: limiterBefore, after: limiterAfter, fillSeconds: limiterFill, sqlite: largestSqlite(persistDir, "authrim-ratelimit-RateLimiterCounter")
      })
    }
  } finally {
    for (const reader of readers) await reader.close()
    await server.stop()
    rmSync(persistDir, { recursive: true, force: true })
  }
}

/** Starts the stack, fills one shard of each class, reads the heaps, stops everything (≈ 1–2 min); retried if the workers reload meanwhile. */
export const measureShardMemory = async (): Promise<MemoryReport> => {
  const start = performance.now()
  const inputs = await fillInputs()
  for (let attempt = 1; ; attempt++) {
    try {
      return {
        method: "workerd inspector (CDP) of each worker's isolate: HeapProfiler.collectGarbage ×3, then Runtime.getHeapUsage, before and after filling one shard",
        isolateLimitBytes: ISOLATE_LIMIT_BYTES,
        ...(await measureOnce(inputs)),
        seconds: (performance.now() - start) / 1000
      }
    } catch (error) {
      if (!(error instanceof WorkersReloaded) || attempt === 3) throw error
      console.error(`shard memory: ${error.message}; measuring again (attempt ${attempt + 1} of 3)`)
    }
  }
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`

const describe = (m: ShardMemory): Array<string> => [
  `${m.durableObject} shard ${m.shard} (${m.worker} isolate), ${m.items.toLocaleString("en-US")} ${m.itemName}s, filled in ${m.fillSeconds.toFixed(1)} s`,
  `  heap used before ${mb(m.before.usedSize)}, after ${mb(m.after.usedSize)}  →  delta ${mb(m.deltaBytes)} = ${Math.round(m.bytesPerItem)} B per ${m.itemName}`,
  `  delta = ${m.deltaPercentOfLimit.toFixed(2)} % of 128 MB; whole isolate after = ${m.afterPercentOfLimit.toFixed(2)} % of 128 MB`,
  ...(m.sqlite === null ? [] : [
    `  its SQLite on disk (Durable Object storage, not isolate heap): database ${mb(m.sqlite.databaseBytes)} + write-ahead log ${mb(m.sqlite.walBytes)}`
  ])
]

/** The report as the bench prints it. */
export const formatMemory = (report: MemoryReport): string => {
  const s = report.session
  return [
    `Shard memory, measured in workerd against the ${mb(report.isolateLimitBytes)} isolate limit`,
    `  method: ${report.method}`,
    ...describe(s),
    `  storage-schema.md estimate for 10,000 typical sessions ≈ 5.3 MB (≈ 8.1 MB with every string at its cap): ` +
    `measured ${mb((s.bytesPerItem * 10_000))} per 10,000`,
    ...describe(report.rateLimit),
    `(${report.seconds.toFixed(1)} s)`
  ].join("\n")
}

if (import.meta.main) console.log(formatMemory(await measureShardMemory()))
