/** Runs one load-generator process (bench/load/run.ts) and returns what it measured. */
import { spawn } from "node:child_process"
import path from "node:path"
import { repoRoot } from "../scripts/local_stack.ts"
import type { LoadJob } from "./load/run.ts"
import type { LoadResult } from "./results.ts"

/** The running load process, so Ctrl-C can stop it too. */
let running: { readonly pid?: number | undefined } | null = null

export const stopLoadProcess = (): void => {
  if (running?.pid !== undefined) try { process.kill(-running.pid, "SIGKILL") } catch { /* gone */ }
}

export const runLoadProcess = (job: LoadJob): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, "bench/load/run.ts"), JSON.stringify(job)], { detached: true, stdio: ["ignore", "pipe", "pipe"] })
    running = child
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => (stderr += d))
    child.once("error", reject)
    child.once("exit", (code) => {
      running = null
      const line = stdout.trim().split("\n").pop() ?? ""
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as LoadResult)
      else reject(new Error(`load generator (${job.scenario} against ${job.target}) failed with ${code}:\n${stderr.slice(-2000)}`))
    })
  })
