/**
 * The one stable 32-bit hash every shard function uses: FNV-1a over the UTF-8
 * bytes, finished with murmur3's `fmix32` so the low bits (taken `mod N`)
 * depend on every input byte — ids differing only in their last characters
 * (user-1, user-2, …) spread over every residue. Synchronous, so a router
 * picks a shard without awaiting WebCrypto.
 *
 * A wire format: shard names derived from it are stored inside ids and
 * objects, so changing a single constant here strands live data. The test
 * pins known values.
 */
const encoder = new TextEncoder()

/** Unsigned 32-bit hash of `text`. */
export const stableHash32 = (text: string): number => {
  let h = 0x811c9dc5
  for (const byte of encoder.encode(text)) {
    h ^= byte
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
