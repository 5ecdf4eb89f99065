/**
 * Self time per function of a V8 CPU profile: every sample's time delta goes to
 * the node on top of the stack. V8 marks samples outside JavaScript as
 * `(program)` (the runtime's own C++ work and, as workerd does not report idle
 * time, the isolate waiting), `(idle)` and `(garbage collector)`; the report
 * keeps them apart from the JavaScript frames. Frames are mapped from the
 * bundle wrangler built back to the source file through its source map.
 */
import { SourceMap } from "node:module"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import type { CpuProfile } from "./cpu_profiler.ts"

/** One function's share: where it is (source file:line when mapped) and its self time in ms. */
export interface FrameTime {
  readonly frame: string
  readonly selfMs: number
}

export interface SelfTimes {
  /** JavaScript (and GC) self time, ms — what the isolate spent computing. */
  readonly jsMs: number
  readonly gcMs: number
  /** `(program)` + `(idle)`: the isolate sampled outside JavaScript (the runtime's C++ on its behalf). */
  readonly outsideMs: number
  /** Median gap between consecutive samples, µs: close to the interval asked for when the sampler kept up. */
  readonly medianDeltaUs: number
  readonly frames: ReadonlyArray<FrameTime>
  /** Self time grouped by source file (or package) — the "hop" view inside one worker. */
  readonly files: ReadonlyArray<FrameTime>
}

const OUTSIDE = new Set(["(program)", "(idle)", "(root)"])

/** Maps a bundle position (0-based line and column) back to its source; undefined where the map says nothing. */
export type SourceMapper = (line: number, column: number) => { file: string; line: number } | undefined

/**
 * The mapper of the bundle wrangler built for service `service` (`edge`, `tokens`, …):
 * `wrangler dev` writes one `index.js` + `index.js.map` per worker under
 * `<configDir>/.wrangler/tmp/dev-*`; the worker's is the one whose sources hold
 * `services/<service>/src/`. No map found: frames keep their bundle positions.
 */
export const bundleMapper = (configDir: string, service: string): SourceMapper => {
  const tmp = path.join(configDir, ".wrangler/tmp")
  const dirs = existsSync(tmp) ? readdirSync(tmp).filter((d) => d.startsWith("dev-")) : []
  for (const dir of dirs) {
    const file = path.join(tmp, dir, "index.js.map")
    if (!existsSync(file)) continue
    const payload = JSON.parse(readFileSync(file, "utf8")) as ConstructorParameters<typeof SourceMap>[0]
    if (!payload.sources.some((s) => s.includes(`services/${service}/src/`))) continue
    const map = new SourceMap(payload)
    const base = path.dirname(file)
    return (line, column) => {
      const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number }
      if (entry.originalSource === undefined) return undefined
      const source = path.relative(process.cwd(), path.resolve(base, entry.originalSource.replace(/^file:\/\//, "")))
      return { file: source, line: (entry.originalLine ?? 0) + 1 }
    }
  }
  return () => undefined
}

/** Short, stable names: `services/x/src/f.ts`, or `effect`, `jose` … for a package. */
const shortFile = (file: string): string => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)
  return pkg !== null ? pkg[1]! : file.replace(/^(\.\.\/)+/, "")
}

/**
 * Self times with each SAMPLE worth the median gap between samples, not its own time
 * delta: workerd runs every worker's isolate on one thread and V8 samples an isolate
 * only while it runs, so a sample's delta also holds whatever other isolates did (or the
 * wait) since the previous one — summing deltas counted wall time, several times the CPU
 * clock. Inside a busy stretch the gaps are regular (the interval asked for, or what a
 * loaded machine delivers), so samples × median gap estimates the isolate's busy time.
 */
export const selfTimes = (profile: CpuProfile, map: SourceMapper): SelfTimes => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b)
  const medianDeltaUs = deltas[Math.floor(deltas.length / 2)] ?? 0
  const selfUs = new Map<number, number>()
  for (const id of profile.samples) selfUs.set(id, (selfUs.get(id) ?? 0) + medianDeltaUs)
  let jsUs = 0
  let gcUs = 0
  let outsideUs = 0
  const frames = new Map<string, number>()
  const files = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame
    if (frame === undefined) continue
    if (OUTSIDE.has(frame.functionName)) { outsideUs += us; continue }
    if (frame.functionName === "(garbage collector)") { gcUs += us; continue }
    jsUs += us
    const mapped = frame.url === "" ? undefined : map(frame.lineNumber, frame.columnNumber)
    const file = mapped === undefined ? (frame.url === "" ? "(native)" : path.basename(frame.url)) : shortFile(mapped.file)
    const where = mapped === undefined ? `${file}:${frame.lineNumber + 1}` : `${file}:${mapped.line}`
    const key = `${frame.functionName || "(anonymous)"} ${where}`
    frames.set(key, (frames.get(key) ?? 0) + us)
    files.set(file, (files.get(file) ?? 0) + us)
  }
  const sorted = (m: Map<string, number>) => [...m].map(([frame, us]) => ({ frame, selfMs: us / 1000 })).sort((a, b) => b.selfMs - a.selfMs)
  return { jsMs: jsUs / 1000, gcMs: gcUs / 1000, outsideMs: outsideUs / 1000, medianDeltaUs, frames: sorted(frames), files: sorted(files) }
}
