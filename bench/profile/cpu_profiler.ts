/**
 * A V8 CPU profile of one worker's isolate, taken through workerd's inspector
 * (Chrome DevTools Protocol `Profiler.*`). Like the heap reader
 * (bench/scale/workerd_inspector.ts), V8 answers `Profiler.*` only while the
 * isolate runs, so every command is sent while `poke` keeps the worker busy.
 */
import { connected } from "../scale/workerd_inspector.ts"

/** The parts of a CDP `Profiler.Profile` the report reads. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number }
    readonly children?: ReadonlyArray<number>
  }>
  readonly startTime: number
  readonly endTime: number
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

export interface CpuProfiler {
  start(): Promise<void>
  stop(): Promise<CpuProfile>
  close(): Promise<void>
}

/** Opens a profiler on `workerName` (`core:user:<name>`) sampling every `intervalUs` microseconds. */
export const openCpuProfiler = async (inspector: string, workerName: string, intervalUs: number, poke: () => Promise<void>): Promise<CpuProfiler> => {
  const session = await connected(inspector, `core:user:${workerName}`)
  const answered = async (method: string, params: Record<string, unknown> = {}): Promise<unknown> => {
    let done = false
    let value: unknown
    const reply = session.send(method, 120_000, params).then((v) => { done = true; value = v })
    while (!done) {
      await Promise.race([reply, new Promise((resolve) => setTimeout(resolve, 200))])
      if (!done) await poke()
    }
    return value
  }
  await answered("Profiler.enable")
  await answered("Profiler.setSamplingInterval", { interval: intervalUs })
  return {
    start: async () => { await answered("Profiler.start") },
    stop: async () => ((await answered("Profiler.stop")) as { profile: CpuProfile }).profile,
    close: () => session.close()
  }
}
