/**
 * A seeded 32-bit generator (mulberry32) so the synthetic ids and addresses,
 * and therefore every printed balance number, are the same on every run.
 * Statistical quality is ample for picking test inputs; it is not crypto.
 */
export type Random32 = () => number

/** A generator of uniform unsigned 32-bit integers from `seed`. */
export const seededRandom = (seed: number): Random32 => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}
