/**
 * CPU time of the server processes of one bench target (issue 10 §1). For a
 * `wrangler dev`: every
 * process in the dev server's process group (it is started detached, so the
 * group id is its pid) whose command is `workerd` — the proxy and the runtime.
 * Read from /proc/<pid>/stat (utime + stime), Linux only.
 */
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync } from "node:fs"

/** Clock ticks per second of /proc's utime/stime (100 on Linux almost everywhere; asked once). */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100
  } catch {
    return 100
  }
})()

/**
 * Milliseconds of user + system CPU used so far by the processes named `comm` in process
 * group `pgid` (workerd for a `wrangler dev`, node for the reference provider); null where
 * /proc cannot say.
 */
export const groupCpuMs = (pgid: number, comm: "workerd" | "node" = "workerd"): number | null => {
  let ticks = 0
  let found = 0
  let entries: string[]
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e))
  } catch {
    return null
  }
  for (const pid of entries) {
    let stat: string
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    } catch {
      continue // exited meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces, so split after its closing parenthesis.
    const close = stat.lastIndexOf(")")
    const name = stat.slice(stat.indexOf("(") + 1, close)
    const fields = stat.slice(close + 2).split(" ")
    // After comm: [0] state, [2] pgrp, [11] utime, [12] stime (proc(5) fields 3, 5, 14, 15).
    if (name !== comm || Number(fields[2]) !== pgid) continue
    ticks += Number(fields[11]) + Number(fields[12])
    found++
  }
  return found === 0 ? null : (ticks * 1000) / ticksPerSecond
}

/** Milliseconds of CPU used so far by the workerd processes of the `wrangler dev` in process group `pgid`. */
export const workerdCpuMs = (pgid: number): number | null => groupCpuMs(pgid, "workerd")
