/**
 * The edge's one copy of the branding document (issue 12 §5), for every hosted
 * page — the same design as the settings copy (authorize/sign_in_settings.ts):
 * the edge binds no D1; it asks identity (`getBranding`, answered from
 * identity's own isolate copy) at most once per isolate per TTL
 * (`SETTINGS_MEMORY_TTL_MS` = 30 s; `EDGE_SETTINGS_TTL_MS` overrides it for
 * both copies, only the edge's vitest config sets it) and keeps it in isolate
 * memory. A page finding a fresh copy makes no call.
 *
 * "Next request": a write through this isolate's admin API (`keepWrittenBranding`)
 * is on this isolate's very next page; other isolates show it when their copy
 * expires — at most 30 s after identity's isolate copy that they ask has it
 * (so ≤ 60 s end to end; identity's writer isolate has it at once).
 *
 * Never fails: identity unreachable → the last copy, else the defaults (the
 * product name "Authrim", no links): branding must never take a page down.
 */
import { defaultBrandingDocument, SETTINGS_MEMORY_TTL_MS, type Branding, type BrandingDocument } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"

/** One isolate's copy of the branding document. */
export class EdgeBrandingCopy {
  #document: BrandingDocument | null = null
  #expiresAt = 0
  readonly #ttlMs: number
  readonly #now: () => number

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs
    this.#now = now
  }

  /** The copy while fresh, else undefined. */
  fresh(): BrandingDocument | undefined {
    return this.#document !== null && this.#expiresAt > this.#now() ? this.#document : undefined
  }

  /** The last copy however old (used when identity cannot answer). */
  lastKnown(): BrandingDocument | null {
    return this.#document
  }

  /** Keeps `document` for the TTL; an older version never replaces a newer one. */
  keep(document: BrandingDocument): void {
    if (this.#document === null || document.version >= this.#document.version) this.#document = document
    this.#expiresAt = this.#now() + this.#ttlMs
  }
}

/** The copy of an isolate for `env` (TTL from `EDGE_SETTINGS_TTL_MS`, default {@link SETTINGS_MEMORY_TTL_MS}). */
export const edgeBrandingCopyFor = (env: { readonly EDGE_SETTINGS_TTL_MS?: string | undefined }, now: () => number = Date.now): EdgeBrandingCopy => {
  const raw = env.EDGE_SETTINGS_TTL_MS?.trim()
  const configured = Number(raw)
  return new EdgeBrandingCopy(raw !== undefined && raw !== "" && Number.isInteger(configured) && configured >= 0 ? configured : SETTINGS_MEMORY_TTL_MS, now)
}

/** The branding as the pages show it (see the module comment). */
export const pageBranding = Effect.fnUntraced(function*() {
  const { backends, brandingCopy } = yield* Edge
  const fresh = brandingCopy.fresh()
  if (fresh !== undefined) return fresh.branding
  const document = yield* backends.branding.getBranding({}).pipe(Effect.catch(() => Effect.succeed(null)))
  if (document === null) return brandingCopy.lastKnown()?.branding ?? defaultBrandingDocument.branding
  brandingCopy.keep(document)
  return document.branding satisfies Branding
})

/** After a write through the edge (the admin API): this isolate's pages show the new document at once. */
export const keepWrittenBranding = (document: BrandingDocument): Effect.Effect<void, never, Edge> =>
  Edge.use(({ brandingCopy }) => Effect.sync(() => brandingCopy.keep(document)))
