/**
 * Sums Authrim's `x-authrim-cost` response headers (JSON `CostCounts`, absent
 * fields = 0) over the HTTP requests of the measured operations.
 */
import type { CostCounts } from "../../contracts/src/cost_meter.ts"

export type { CostCounts }

/** A running sum, plus how many responses were seen and how many carried the header. */
export interface CostSum {
  readonly counts: CostCounts & { doRequests: Record<string, number> }
  responses: number
  metered: number
}

export const emptyCostSum = (): CostSum => ({ counts: { doRequests: {} }, responses: 0, metered: 0 })

/** Adds one response's header (or nothing when it is absent or unreadable). */
export const addCostHeader = (sum: CostSum, header: string | null): void => {
  sum.responses++
  if (header === null) return
  let parsed: unknown
  try {
    parsed = JSON.parse(header)
  } catch {
    return
  }
  if (typeof parsed !== "object" || parsed === null) return
  sum.metered++
  addCounts(sum, parsed as Record<string, unknown>)
}

const addCounts = (sum: CostSum, counts: Record<string, unknown>) => {
  // Counters are summed by name so a field the meter adds later is carried without a change here.
  const target = sum.counts as unknown as Record<string, unknown>
  for (const [field, value] of Object.entries(counts)) {
    // Per-class maps (doRequests, doRowsWrittenByClass): summed class by class.
    if (typeof value === "object" && value !== null) {
      const map = (target[field] ??= {}) as Record<string, number>
      for (const [cls, n] of Object.entries(value)) if (typeof n === "number") map[cls] = (map[cls] ?? 0) + n
    } else if (typeof value === "number") {
      target[field] = ((target[field] as number | undefined) ?? 0) + value
    }
  }
}

/** Adds `other` into `sum`. */
export const mergeCostSum = (sum: CostSum, other: CostSum): void => {
  sum.responses += other.responses
  sum.metered += other.metered
  addCounts(sum, other.counts as unknown as Record<string, unknown>)
}

/** The average per operation: every counter divided by `ops`. */
export const perOperation = (counts: CostCounts, ops: number): CostCounts => {
  const divide = (n: number) => (ops > 0 ? n / ops : 0)
  const out: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(counts)) {
    if (typeof value === "object" && value !== null) {
      out[field] = Object.fromEntries(Object.entries(value as Record<string, number>).map(([cls, n]) => [cls, divide(n)]))
    } else if (typeof value === "number") out[field] = divide(value)
  }
  return out as CostCounts
}
