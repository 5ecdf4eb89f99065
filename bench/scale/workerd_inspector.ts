/**
 * V8 heap numbers of one worker's isolate, read from workerd's own inspector
 * (Chrome DevTools Protocol). `wrangler dev --inspector-port` proxies only
 * the FIRST worker of a multi-config run, so instead we find the port of the
 * workerd process started with `--inspector-addr=127.0.0.1:0` (it lists one
 * target per worker, `core:user:<worker name>`) through /proc: its listening
 * sockets, then the one that answers `/json/list`. Linux only, like the bench.
 */
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync, readlinkSync } from "node:fs"

/** V8 heap of one isolate after a full GC (`Runtime.getHeapUsage`). */
export interface HeapUsage {
  readonly usedSize: number
  readonly totalSize: number
}

const socketInodes = (pid: number): Set<string> => {
  const inodes = new Set<string>()
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`)
      if (link.startsWith("socket:[")) inodes.add(link.slice(8, -1))
    } catch { /* fd closed meanwhile */ }
  }
  return inodes
}

const listeningPorts = (pid: number): Array<number> => {
  const inodes = socketInodes(pid)
  const ports: Array<number> = []
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols[3] === "0A" && inodes.has(cols[9] ?? "")) ports.push(parseInt(cols[1]!.split(":")[1]!, 16)) // 0A = LISTEN
    }
  }
  return ports
}

/** The inspector base URL of the workerd running the user workers of the `wrangler dev` whose process group is `groupId`. */
export const findWorkerdInspector = async (groupId: number): Promise<string> => {
  const lines = execFileSync("ps", ["-o", "pid=,args=", "-g", String(groupId)], { encoding: "utf8" }).split("\n")
  const pids = lines.filter((l) => l.includes("workerd") && l.includes("--inspector-addr")).map((l) => Number(l.trim().split(/\s+/)[0]))
  for (const pid of pids) {
    for (const port of listeningPorts(pid)) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(1000) })
        const targets = (await res.json()) as Array<{ id: string }>
        if (Array.isArray(targets) && targets.some((t) => t.id.startsWith("core:user:"))) return `127.0.0.1:${port}`
      } catch { /* not the inspector (the entry socket, the debug port) */ }
    }
  }
  throw new Error(`no workerd inspector found in process group ${groupId}`)
}

/** A CDP session on one target; `send` awaits the matching reply. */
const openTarget = async (inspector: string, target: string) => {
  const socket = new WebSocket(`ws://${inspector}/${target}`)
  socket.addEventListener("close", (event) => process.env.AUTHRIM_BENCH_DEBUG === "1" && console.error(`[cdp ${target}] closed ${event.code} ${event.reason}`))
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true })
    socket.addEventListener("error", () => reject(new Error(`cannot open inspector target ${target}`)), { once: true })
  })
  let nextId = 1
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } }
    if (process.env.AUTHRIM_BENCH_DEBUG === "1") console.error(`[cdp ${target}] ${String(event.data).slice(0, 160)}`)
    const waiter = message.id === undefined ? undefined : pending.get(message.id)
    if (waiter === undefined) return
    pending.delete(message.id!)
    if (message.error) waiter.reject(new Error(message.error.message))
    else waiter.resolve(message.result)
  })
  const send = (method: string, timeoutMs = 60_000, params: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      socket.send(JSON.stringify({ id, method, params }))
      if (process.env.AUTHRIM_BENCH_DEBUG === "1") console.error(`[cdp ${target}] -> ${id} ${method}`)
      setTimeout(() => pending.has(id) && (pending.delete(id), reject(new Error(`${method}: no answer in ${timeoutMs} ms`))), timeoutMs).unref()
    })
  const closed = new Promise<void>((resolve) => socket.addEventListener("close", () => resolve(), { once: true }))
  return {
    send,
    isOpen: () => socket.readyState === WebSocket.OPEN,
    close: () => {
      socket.close()
      return closed
    }
  }
}

/**
 * An inspector session that answers. workerd closes a session opened while
 * another is closing, and has been seen to ignore the first messages after
 * the upgrade: so reconnect until a `Runtime.getHeapUsage` (answered by
 * workerd itself, no isolate lock needed) comes back.
 */
export const connected = async (inspector: string, target: string) => {
  for (let attempt = 1; ; attempt++) {
    const session = await openTarget(inspector, target)
    try {
      await session.send("Runtime.getHeapUsage", 1000)
      return session
    } catch (error) {
      if (session.isOpen()) await session.close()
      if (attempt === 20) throw error
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}

/** Reads one worker's heap; keep it open for the whole measurement (`close` at the end). */
export interface HeapReader {
  heapAfterGc(): Promise<HeapUsage>
  close(): Promise<void>
}

const debug = process.env.AUTHRIM_BENCH_DEBUG === "1"

/**
 * A persistent inspector session on `workerName`'s isolate. Commands that
 * V8 itself runs (`HeapProfiler.*`) are answered only once the isolate
 * next runs — workerd dispatches them, and V8 runs the GC as a posted task,
 * when it holds the isolate lock — so while waiting we `poke`: a cheap call
 * into that worker that stores nothing. `Runtime.getHeapUsage` is answered by
 * workerd at once.
 */
export const openHeapReader = async (inspector: string, workerName: string, poke: () => Promise<void>): Promise<HeapReader> => {
  const session = await connected(inspector, `core:user:${workerName}`)
  const answered = async (method: string): Promise<void> => {
    const t = performance.now()
    let done = false
    const reply = session.send(method).then(() => { done = true })
    while (!done) {
      await Promise.race([reply, new Promise((resolve) => setTimeout(resolve, 300))])
      if (!done) await poke()
    }
    if (debug) console.error(`[inspector] ${workerName} ${method}: ${Math.round(performance.now() - t)} ms`)
  }
  await answered("HeapProfiler.enable")
  return {
    // Three full collections: one pass can leave objects only the next finds unreachable, and a baseline still holding garbage would shrink the delta.
    async heapAfterGc() {
      for (let i = 0; i < 3; i++) await answered("HeapProfiler.collectGarbage")
      const usage = (await session.send("Runtime.getHeapUsage")) as HeapUsage
      return { usedSize: usage.usedSize, totalSize: usage.totalSize }
    },
    close: () => session.close()
  }
}
