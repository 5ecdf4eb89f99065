/**
 * Goodness of fit of a shard histogram against the uniform distribution: the
 * numbers `shard_balance.ts` prints. Closed-form approximations only (no
 * statistics package): at hundreds of degrees of freedom the Wilson–Hilferty
 * cube-root transform of χ² is accurate to well under 1 % in the tail we read.
 */

/** z of the one-sided 99.9 % normal quantile. */
const Z_999 = 3.090232306167813

/** Summary of one histogram of `count` items over `counts.length` shards. */
export interface BalanceStats {
  readonly count: number
  readonly shards: number
  readonly mean: number
  readonly min: number
  readonly max: number
  /** Load of the hottest shard relative to the average (1 = perfectly even). */
  readonly maxOverMean: number
  /** What a perfectly random assignment gives for `maxOverMean` on average (expected maximum of `shards` normals). */
  readonly idealMaxOverMean: number
  readonly chiSquare: number
  readonly degreesOfFreedom: number
  /** χ² value exceeded with probability 0.1 % when the assignment is uniform. */
  readonly critical999: number
  /** Probability of a χ² at least this large under uniformity (Wilson–Hilferty). */
  readonly pValue: number
  /** chiSquare ≤ critical999: no evidence of imbalance at the 99.9 % level. */
  readonly uniform: boolean
}

/** erfc(x), Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), extended to x < 0 by symmetry. */
const erfc = (x: number): number => {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.3275911 * z)
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const value = poly * Math.exp(-z * z)
  return x >= 0 ? value : 2 - value
}

/** P(Z > z) for a standard normal Z. */
const upperNormalTail = (z: number): number => 0.5 * erfc(z / Math.SQRT2)

/** Φ⁻¹(p) by bisection on the tail above (plenty fast for a handful of calls). */
const normalQuantile = (p: number): number => {
  let lo = -10
  let hi = 10
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2
    if (1 - upperNormalTail(mid) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** χ² quantile for `df` degrees of freedom at normal deviate `z` (Wilson–Hilferty). */
export const chiSquareQuantile = (df: number, z: number): number => {
  const s = 2 / (9 * df)
  return df * (1 - s + z * Math.sqrt(s)) ** 3
}

/** Upper-tail probability of `x` under χ²(`df`) (Wilson–Hilferty). */
export const chiSquarePValue = (x: number, df: number): number => {
  const s = 2 / (9 * df)
  return upperNormalTail(((x / df) ** (1 / 3) - (1 - s)) / Math.sqrt(s))
}

/** The balance summary of a histogram (`counts[shard]` = items routed to that shard). */
export const balanceStats = (counts: ArrayLike<number>): BalanceStats => {
  const shards = counts.length
  let count = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < shards; i++) {
    const c = counts[i]!
    count += c
    if (c < min) min = c
    if (c > max) max = c
  }
  const mean = count / shards
  let chiSquare = 0
  for (let i = 0; i < shards; i++) chiSquare += (counts[i]! - mean) ** 2 / mean
  const degreesOfFreedom = shards - 1
  const critical999 = chiSquareQuantile(degreesOfFreedom, Z_999)
  // Blom's approximation of the expected largest of `shards` standard normals; a shard's count has sd √(mean·(1−1/shards)).
  const expectedMaxZ = normalQuantile((shards - 0.375) / (shards + 0.25))
  const idealMaxOverMean = 1 + expectedMaxZ * Math.sqrt((1 - 1 / shards) / mean)
  return {
    count,
    shards,
    mean,
    min,
    max,
    maxOverMean: max / mean,
    idealMaxOverMean,
    chiSquare,
    degreesOfFreedom,
    critical999,
    pValue: chiSquarePValue(chiSquare, degreesOfFreedom),
    uniform: chiSquare <= critical999
  }
}
