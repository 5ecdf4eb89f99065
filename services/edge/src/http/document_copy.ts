/**
 * One isolate's copy of a versioned document another service owns (the system
 * settings, the branding): kept for a TTL, the last one however old still at
 * hand when its owner cannot answer, and never replaced by an older version.
 * `EDGE_SETTINGS_TTL_MS` sets the TTL of every such copy (only the edge's
 * vitest config sets it: "0", no copy); default {@link SETTINGS_MEMORY_TTL_MS}.
 */
import { SETTINGS_MEMORY_TTL_MS } from "@authrim/contracts"

export class DocumentCopy<D extends { readonly version: number }> {
  #document: D | null = null
  #expiresAt = 0
  readonly #ttlMs: number
  readonly #now: () => number

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs
    this.#now = now
  }

  /** The copy while fresh, else undefined. */
  fresh(): D | undefined {
    return this.#document !== null && this.#expiresAt > this.#now() ? this.#document : undefined
  }

  /** The last copy however old (used when the owner cannot answer). */
  lastKnown(): D | null {
    return this.#document
  }

  /** Keeps `document` for the TTL; an older version never replaces a newer one. */
  keep(document: D): void {
    if (this.#document === null || document.version >= this.#document.version) this.#document = document
    this.#expiresAt = this.#now() + this.#ttlMs
  }
}

/** The TTL of an isolate's copies for `env` (`EDGE_SETTINGS_TTL_MS`: a non-negative integer, else the default). */
export const documentCopyTtl = (env: { readonly EDGE_SETTINGS_TTL_MS?: string | undefined }): number => {
  const raw = env.EDGE_SETTINGS_TTL_MS?.trim()
  const configured = Number(raw)
  return raw !== undefined && raw !== "" && Number.isInteger(configured) && configured >= 0 ? configured : SETTINGS_MEMORY_TTL_MS
}
