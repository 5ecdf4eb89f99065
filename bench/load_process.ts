/** Runs one load-generator process (bench/load/run.ts) and returns what it measured. */
import { spawn } from "node:child_process"
import path from "node:path"
import { repoRoot } from "../scripts/local_stack.ts"
import type { LoadJob } from "./load/run.ts"
import type { LoadResult } from "./results.ts"
import { groupCpuMs } from "./workerd_cpu.ts"

const readCpu = (source: CpuSource) => (typeof source === "number" ? groupCpuMs(source, "workerd") : groupCpuMs(source.node, "node"))

/** The running load process, so Ctrl-C can stop it too. */
let running: { readonly pid?: number | undefined } | null = null

export const stopLoadProcess = (): void => {
  if (running?.pid !== undefined) try { process.kill(-running.pid, "SIGKILL") } catch { /* gone */ }
}

/**
 * Where the target's server CPU is read: a process group id (a number: the target's
 * `wrangler dev`, whose workerd processes are summed) or `{ node: pgid }` (the reference
 * provider's Node process).
 */
export type CpuSource = number | { readonly node: number }

/**
 * Runs `job` in a fresh load process. With `cpuSource`, the result also carries the
 * target's server CPU ms per op over the measured phase (`workerdCpuMsPerOp` or `nodeCpuMsPerOp`).
 */
export const runLoadProcess = (job: LoadJob, cpuSource?: CpuSource): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, "bench/load/run.ts"), JSON.stringify(job)], { detached: true, stdio: ["ignore", "pipe", "pipe"] })
    running = child
    let stdout = ""
    let stderr = ""
    let cpuAtStart: number | null = null
    let cpuAtEnd: number | null = null
    // The load process prints #measuring / #measured around its measured phase; read the CPU clock at each.
    child.stdout.on("data", (d) => {
      stdout += d
      if (cpuSource === undefined) return
      if (cpuAtStart === null && stdout.includes("#measuring\n")) cpuAtStart = readCpu(cpuSource)
      if (cpuAtEnd === null && stdout.includes("#measured\n")) cpuAtEnd = readCpu(cpuSource)
    })
    child.stderr.on("data", (d) => (stderr += d))
    child.once("error", reject)
    child.once("exit", (code) => {
      running = null
      const line = stdout.trim().split("\n").pop() ?? ""
      if (code === 0 && line.startsWith("{")) {
        const result = JSON.parse(line) as LoadResult
        const cpu = cpuAtStart !== null && cpuAtEnd !== null && result.ops > 0 ? Math.round(((cpuAtEnd - cpuAtStart) / result.ops) * 100) / 100 : undefined
        const field = typeof cpuSource === "number" ? "workerdCpuMsPerOp" : "nodeCpuMsPerOp"
        resolve(cpu === undefined ? result : { ...result, [field]: cpu })
      }
      else reject(new Error(`load generator (${job.scenario} against ${job.target}) failed with ${code}:\n${stderr.slice(-2000)}`))
    })
  })
