/** Percentiles (nearest rank, over all samples) of a latency sample set. */
import type { LatencySummary } from "../results.ts"

export const summarizeLatency = (samples: ReadonlyArray<number>): LatencySummary => {
  if (samples.length === 0) return { p50: 0, p95: 0, p99: 0, mean: 0, min: 0, max: 0 }
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
  const round = (n: number) => Math.round(n * 100) / 100
  return {
    p50: round(rank(0.5)),
    p95: round(rank(0.95)),
    p99: round(rank(0.99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    min: round(sorted[0]!),
    max: round(sorted[sorted.length - 1]!)
  }
}
