/**
 * Starts the reference provider (bench/reference/server.ts) as a separate
 * Node process in its own process group on 127.0.0.1, and stops it by group.
 */
import { spawn } from "node:child_process"
import { createWriteStream } from "node:fs"
import path from "node:path"
import { repoRoot, stopProcessGroup } from "../scripts/local_stack.ts"

export interface ReferenceServer {
  readonly url: string
  /** Its process group (started detached, so the group id is its pid), to read its CPU. */
  readonly group: number | undefined
  stop(): Promise<void>
}

export const startReference = async (port: number, users: number, logFile: string): Promise<ReferenceServer> => {
  const log = createWriteStream(logFile)
  const child = spawn(process.execPath, [path.join(repoRoot, "bench/reference/server.ts"), "--port", String(port), "--users", String(users)], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"]
  })
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  const url = `http://127.0.0.1:${port}`
  const stop = () => stopProcessGroup(child)
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the reference provider exited early; see ${logFile}`)
    try {
      const res = await fetch(url + "/.well-known/openid-configuration", { signal: AbortSignal.timeout(2000) })
      if (res.ok) return { url, group: child.pid, stop }
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200))
  }
  await stop()
  throw new Error(`the reference provider did not answer within 60 s; see ${logFile}`)
}
