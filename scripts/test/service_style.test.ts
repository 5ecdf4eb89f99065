/**
 * Issue 10 §4 kept true: one way of writing services, checked over the source
 * tree so a new file written the old way fails CI with the line that breaks it.
 * Each exception names its file and why it is a boundary.
 */
import { readdirSync, readFileSync } from "node:fs"
import { basename, join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "..")
const SERVICES = ["edge", "identity", "keys", "ratelimit", "session", "tokens"]
const BACKENDS = SERVICES.filter((s) => s !== "edge")

const tsFiles = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return tsFiles(path)
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : []
  })

const sourceDirs = [
  ...SERVICES.map((s) => join(root, "services", s, "src")),
  join(root, "contracts", "src"),
  ...readdirSync(join(root, "packages")).map((p) => join(root, "packages", p, "src"))
]
const sources = sourceDirs.flatMap(tsFiles).map((path) => ({ path: relative(root, path), text: readFileSync(path, "utf8") }))

/** `file:line: text` of every line matching `pattern`, outside the allowed files. */
const offences = (pattern: RegExp, allowed: ReadonlyArray<string> = []) =>
  sources
    .filter((file) => !allowed.includes(file.path))
    .flatMap((file) =>
      file.text.split("\n").flatMap((line, i) => pattern.test(line) ? [`${file.path}:${i + 1}: ${line.trim()}`] : [])
    )

describe("one way of writing services (issue 10 §4)", () => {
  it("finds the sources it checks", () => {
    expect(sources.length).toBeGreaterThan(250)
  })

  it("writes effectful functions as Effect.fnUntraced, never an arrow or return around Effect.gen, never Effect.fn", () => {
    expect(offences(/=>\s*Effect\.gen\(|return\s+Effect\.gen\(|Effect\.fn\(/)).toEqual([])
    // the same across a line break: `=>` at the end of one line, `Effect.gen(` opening the next
    const split = sources.flatMap((file) =>
      [...file.text.matchAll(/=>\s*\n\s*Effect\.gen\(/g)].map((m) => `${file.path}@${m.index}`)
    )
    expect(split).toEqual([])
  })

  it("wraps no promise of its own in Effect.promise (only @authrim/platform wraps WebCrypto)", () => {
    expect(offences(/Effect\.promise\(/, ["packages/platform/src/digest.ts", "packages/platform/src/aead_seal.ts"])).toEqual([])
  })

  it("declares errors as Schema.TaggedError, never a class extending Error or Data.TaggedError, nor a hand-tagged class", () => {
    expect(offences(/extends\s+(Error|Data\.TaggedError)\b/)).toEqual([])
    expect(offences(/readonly\s+_tag\s*=\s*["']/)).toEqual([])
  })

  it("runs Effects only at boundaries: RPC serve, a Durable Object's own run/alarm, fetch, queue and cron handlers", () => {
    const boundaries = [
      "contracts/src/rpc.ts", // serve: every RPC method of every service and DO
      "services/edge/src/index.ts", // the HTTP fetch handler (and its waitUntil work)
      "services/keys/src/index.ts", // the rotation cron
      "services/ratelimit/src/index.ts", // the shard warm-up cron (off unless a trigger is configured)
      "services/keys/src/key_manager.ts", // KeyManager DO: its one #run
      "services/session/src/session_store.ts", // SessionStore DO: its alarm
      "services/tokens/src/index.ts", // the back-channel logout queue consumer
      "services/identity/src/queue_and_cron.ts", // the audit queue consumer and the daily cron
      "packages/client/src/promise_boundary.ts" // @authrim/client: its Promise facade and `protect`, a consumer Worker's fetch handler
    ]
    expect(offences(/\b(runPromise|runPromiseExit|runFork|runSync|runSyncExit)\b/, boundaries)).toEqual([])
  })

  it("uses no TypeScript parameter properties in contracts and packages (Node's type stripping loads them in the bench and scripts, and rejects those)", () => {
    const nodeLoaded = offences(/constructor\([^)]*\b(private|public|protected|readonly)\s+\w+\s*:/)
      .filter((line) => line.startsWith("contracts/") || line.startsWith("packages/"))
    expect(nodeLoaded).toEqual([])
  })

  it("provides services per call only inside a boundary (Layers are built once per isolate and env)", () => {
    expect(offences(/Effect\.provideService\(|Effect\.provide\(/, ["contracts/src/rpc.ts", "services/keys/src/key_manager.ts", "services/edge/src/index.ts"])).toEqual([])
  })

  it("serves every backend entrypoint through serveAll", () => {
    for (const service of BACKENDS) {
      const files = sources.filter((f) => f.path.startsWith(`services/${service}/src/`))
      // The one WorkerEntrypoint subclass allowed besides serveAll's: a base whose only member is the cost meter's
      // constructor, shared by a worker's per-caller entrypoints (issue 13 §2), e.g. `MeteredTokensEntrypoint`.
      const meteredBase = /class Metered\w+Entrypoint extends WorkerEntrypoint<\w+> \{\n {2}constructor\(ctx: ExecutionContext, env: \w+\) \{\n {4}super\(ctx, meteredEnv\(env, \w+\)\)\n {2}\}\n\}/g
      const entrypoints = files.filter((f) => /extends\s+WorkerEntrypoint\b/.test(f.text.replace(meteredBase, "")))
      expect(entrypoints.map((f) => f.path), `${service}: hand-written entrypoint`).toEqual([])
      expect(files.some((f) => /extends\s+serveAll\((WorkerEntrypoint<|Metered\w+Entrypoint,)/.test(f.text)), `${service}: serveAll entrypoint`).toBe(true)
    }
  })

  it("gives no two modules of different services, contracts or packages the same file name", () => {
    const owners = new Map<string, Set<string>>()
    for (const file of sources) {
      const name = basename(file.path)
      if (name === "index.ts" || name === "env.ts") continue
      const owner = file.path.split("/").slice(0, 2).join("/")
      owners.set(name, (owners.get(name) ?? new Set()).add(owner))
    }
    const repeated = [...owners].filter(([, o]) => o.size > 1).map(([name, o]) => `${name}: ${[...o].join(", ")}`)
    expect(repeated).toEqual([])
  })
})
