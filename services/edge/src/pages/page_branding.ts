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
import { DocumentCopy, documentCopyTtl } from "../http/document_copy.ts"

/** One isolate's copy of the branding document (http/document_copy.ts). */
export class EdgeBrandingCopy extends DocumentCopy<BrandingDocument> {}

/** The copy of an isolate for `env` (TTL from `EDGE_SETTINGS_TTL_MS`, default {@link SETTINGS_MEMORY_TTL_MS}). */
export const edgeBrandingCopyFor = (env: { readonly EDGE_SETTINGS_TTL_MS?: string | undefined }, now: () => number = Date.now): EdgeBrandingCopy =>
  new EdgeBrandingCopy(documentCopyTtl(env), now)

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
