/**
 * `/settings` (issue 12 §5): the system settings document, owned by identity
 * (contracts/src/settings.ts). `GET` needs `settings:read` and answers the
 * document with its version as ETag; `PATCH` needs `settings:write` and
 * `If-Match` (428 without, 412 when another write came first), merges the
 * partial change and checks the whole result (400 naming the field). Identity
 * audits the write (`admin.action`, changed field paths only). The edge's own
 * copy (open registration, registration/registration_policy.ts) takes the
 * written document at once.
 */
import { SettingsDocument, SettingsPatch } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { keepWrittenSettings } from "../authorize/sign_in_settings.ts"
import { domainProblem } from "./admin_domain_problems.ts"
import { adminOperation } from "./admin_operation.ts"

export const settingsOperations = [
  adminOperation({
    method: "GET", path: "/settings", operationId: "getSettings", summary: "The system settings", tag: "settings",
    permission: "settings:read", ifMatch: false,
    success: { status: 200, description: "The settings document (version 0: never written, the defaults)", schema: SettingsDocument, etag: true },
    handle: Effect.fnUntraced(function*() {
      const { adminBackends } = yield* Edge
      const document = yield* adminBackends.settings.getSettings({})
      return { status: 200, body: document, etag: document.version }
    })
  }),
  adminOperation({
    method: "PATCH", path: "/settings", operationId: "updateSettings", summary: "Change system settings (absent fields stay; the result is checked as a whole)", tag: "settings",
    permission: "settings:write", ifMatch: true, body: SettingsPatch,
    success: { status: 200, description: "The settings document", schema: SettingsDocument, etag: true },
    handle: Effect.fnUntraced(function*({ body, admin, ifMatch }) {
      const { adminBackends } = yield* Edge
      const document = yield* adminBackends.settings.updateSettings({ patch: body, expectedVersion: ifMatch!, adminUserId: admin.userId }).pipe(Effect.mapError(domainProblem))
      // This isolate's pages and registration obey the new document on the very next request.
      yield* keepWrittenSettings(document)
      return { status: 200, body: document, etag: document.version }
    })
  })
]
