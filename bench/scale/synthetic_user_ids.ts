/**
 * Synthetic user ids for the session shard balance. Identity mints user ids
 * with `crypto.randomUUID()` (services/identity/src/users/users.ts), so the main
 * set is version-4 UUIDs; the second set is what a bulk import from another
 * system often brings: sequential ids `user-1 … user-N`, whose strings differ
 * only in their last characters — the case a weak hash spreads badly.
 */
import { seededRandom } from "./seeded_random.ts"

/** One named set of synthetic keys. */
export interface KeySet {
  readonly name: string
  readonly description: string
  readonly count: number
  keys(): Iterable<string>
}

const hex8 = (n: number): string => n.toString(16).padStart(8, "0")

/** `count` RFC 9562 version-4 UUIDs (the shape of `crypto.randomUUID()`), seeded so runs repeat. */
export const randomUuids = (count: number, seed = 1): KeySet => ({
  name: "uuid-v4",
  description: `${count.toLocaleString("en-US")} random v4 UUIDs (identity's crypto.randomUUID() shape, seeded)`,
  count,
  *keys() {
    const random = seededRandom(seed)
    for (let i = 0; i < count; i++) {
      const a = hex8(random())
      const b = hex8(((random() & 0xffff0fff) | 0x00004000) >>> 0) // version 4 in the 13th hex digit
      const c = hex8(((random() & 0x3fffffff) | 0x80000000) >>> 0) // RFC variant 10xx
      const d = hex8(random())
      yield `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`
    }
  }
})

/** `user-1 … user-<count>`: ids of a sequential bulk import. */
export const sequentialUserIds = (count: number): KeySet => ({
  name: "sequential",
  description: `user-1 … user-${count} (sequential ids of a bulk import)`,
  count,
  *keys() {
    for (let i = 1; i <= count; i++) yield `user-${i}`
  }
})
