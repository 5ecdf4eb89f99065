/**
 * A structural estimate of the V8 heap a hot-set entry retains. workerd
 * exposes no heap numbers to a Worker (`process.memoryUsage()` and
 * `v8.getHeapStatistics()` return zeros there), so the memory of a shard is
 * computed from V8's object layouts instead:
 *
 * - workerd builds V8 with pointer compression: a tagged field is 4 bytes;
 *   pass `taggedSize = 8` for an uncompressed heap (e.g. Node) as an upper bound.
 * - Every string of an entry is its own allocation (sessions arrive by RPC or
 *   from D1 JSON, so nothing is interned): header (map + hash + length) plus
 *   one byte per Latin-1 character, two otherwise.
 * - Epoch-ms numbers exceed the 31-bit Smi range, so each is a HeapNumber
 *   (map + 8-byte double).
 * - Objects built by literals keep their properties in-object: map +
 *   properties + elements + one field per property. Hidden classes are shared
 *   by all entries and not counted.
 * - The Map itself: an OrderedHashMap with power-of-two capacity, 3 fields
 *   per slot (key, value, chain) plus one bucket per two slots.
 */
import type { StoredSession } from "../src/stored_session.ts"

const roundUp = (bytes: number, to: number) => Math.ceil(bytes / to) * to

const stringBytes = (s: string, tagged: number) =>
  roundUp(tagged + 8 + (/^[\x00-\xff]*$/.test(s) ? s.length : 2 * s.length), tagged)

const valueBytes = (value: unknown, tagged: number): number => {
  if (value === null || value === undefined || typeof value === "boolean") return 0
  if (typeof value === "string") return stringBytes(value, tagged)
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < 2 ** 30 ? 0 : tagged + 8
  if (Array.isArray(value)) {
    // JSArray (map, properties, elements, length) + FixedArray (map, length, slots) + the elements.
    return (4 + 2 + value.length) * tagged + value.reduce((sum: number, item) => sum + valueBytes(item, tagged), 0)
  }
  if (typeof value === "object") {
    const fields = Object.values(value)
    return (3 + fields.length) * tagged + fields.reduce((sum: number, item) => sum + valueBytes(item, tagged), 0)
  }
  return tagged
}

/** Heap bytes retained by one entry (its Map key is the entry's own `session.id`, counted once). */
export const retainedBytesEstimate = (stored: StoredSession, taggedSize = 4): number => valueBytes(stored, taggedSize)

/** Heap bytes of the Map's own table holding `size` entries. */
export const mapTableBytes = (size: number, taggedSize = 4): number => {
  const capacity = 2 ** Math.ceil(Math.log2(Math.max(size, 1)))
  return (capacity * 3 + capacity / 2 + 8) * taggedSize
}
