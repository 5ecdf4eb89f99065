/**
 * `/branding` (issue 12 §5): the branding document, owned by identity
 * (contracts/src/branding.ts). `GET` needs `settings:read` and answers the
 * document with its version as ETag; `PATCH` needs `settings:write` and
 * `If-Match` (428 without, 412 when another write came first — identity's
 * write is one conditional UPDATE, so of racing admins exactly one wins),
 * merges the partial change and checks the whole result (400 naming the
 * field: a bad colour, too little contrast, a non-https link). Identity audits
 * the write (`admin.action`, changed field names). This isolate's pages show
 * the written document on their very next request.
 */
import { BrandingDocument, BrandingPatch } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { keepWrittenBranding } from "../pages/page_branding.ts"
import { domainProblem } from "./admin_domain_problems.ts"
import { adminOperation } from "./admin_operation.ts"

export const brandingOperations = [
  adminOperation({
    method: "GET", path: "/branding", operationId: "getBranding", summary: "The branding of the hosted pages and emails", tag: "branding",
    permission: "settings:read", ifMatch: false,
    success: { status: 200, description: "The branding document (version 0: never written, the defaults)", schema: BrandingDocument, etag: true },
    handle: Effect.fnUntraced(function*() {
      const { adminBackends } = yield* Edge
      const document = yield* adminBackends.branding.getBranding({})
      return { status: 200, body: document, etag: document.version }
    })
  }),
  adminOperation({
    method: "PATCH", path: "/branding", operationId: "updateBranding", summary: "Change the branding (absent fields stay, null clears; the result is checked as a whole)", tag: "branding",
    permission: "settings:write", ifMatch: true, body: BrandingPatch,
    success: { status: 200, description: "The branding document", schema: BrandingDocument, etag: true },
    handle: Effect.fnUntraced(function*({ body, admin, ifMatch }) {
      const { adminBackends } = yield* Edge
      const document = yield* adminBackends.branding.updateBranding({ patch: body, expectedVersion: ifMatch!, adminUserId: admin.userId }).pipe(Effect.mapError(domainProblem))
      yield* keepWrittenBranding(document)
      return { status: 200, body: document, etag: document.version }
    })
  })
]
