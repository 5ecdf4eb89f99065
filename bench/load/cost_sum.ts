/**
 * Sums Authrim's `x-authrim-cost` response headers (JSON `CostCounts`, absent
 * fields = 0) over the HTTP requests of the measured operations.
 */
import type { CostCounts } from "../../contracts/src/cost_counts.ts"
import { CostMeter } from "../../packages/cost-meter/src/cost_meter.ts"

export type { CostCounts }

/** A running sum (kept in the cost meter's `CostMeter`, packages/cost-meter, whose `merge` is the one place counts add up), plus how many responses were seen and how many carried the header. */
export interface CostSum {
  readonly meter: CostMeter
  responses: number
  metered: number
}

export const emptyCostSum = (): CostSum => ({ meter: new CostMeter(), responses: 0, metered: 0 })

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
  sum.meter.merge(parsed)
}

/** Adds `other` into `sum`. */
export const mergeCostSum = (sum: CostSum, other: CostSum): void => {
  sum.responses += other.responses
  sum.metered += other.metered
  sum.meter.merge(other.meter.snapshot())
}

/** The counts summed so far (`{}` when none). */
export const costCounts = (sum: CostSum): CostCounts => sum.meter.snapshot() ?? {}

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
