/**
 * Isolate-memory cache in front of the CLIENTS KV namespace: KV reads are a
 * cost line (DESIGN §2), and client metadata is read on every authorize and
 * token request. Entries live 30 s (a "not found" only 5 s), the map is
 * bounded, and `now` is injected so tests control time.
 */
import type { CachedClient } from "./client_record.ts"

/** How long a found client stays in memory. Bounds staleness in other isolates after a change. */
export const CLIENT_MEMORY_TTL_MS = 30_000
/** Unknown ids are remembered only briefly, so a newly created client shows up fast everywhere. */
export const CLIENT_MEMORY_NEGATIVE_TTL_MS = 5_000
/** ~100 K clients at 10 M MAU (DESIGN §6); only the hot ones need to be in one isolate. */
const MAX_ENTRIES = 1_000

export class ClientMemoryCache {
  private readonly entries = new Map<string, { value: CachedClient; expiresAt: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  get(clientId: string): CachedClient | undefined {
    const entry = this.entries.get(clientId)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(clientId)
      return undefined
    }
    return entry.value
  }

  set(clientId: string, value: CachedClient): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(clientId)) {
      // Map iterates in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next()
      if (oldest.done !== true) this.entries.delete(oldest.value)
    }
    const ttl = value.found ? CLIENT_MEMORY_TTL_MS : CLIENT_MEMORY_NEGATIVE_TTL_MS
    this.entries.set(clientId, { value, expiresAt: this.now() + ttl })
  }

  delete(clientId: string): void {
    this.entries.delete(clientId)
  }
}
