/**
 * The edge's one copy of the system settings (issue 12 §5), for what the
 * hosted pages show — today the sign-in methods of the login page. The edge
 * binds no `SETTINGS` KV: it asks identity (`getSettings`, which reads its own
 * cached copy) at most once per isolate per TTL and keeps the document in
 * isolate memory, like every other reader (contracts/src/settings_cache.ts,
 * `SETTINGS_MEMORY_TTL_MS` = 30 s). A request finding a fresh copy makes no
 * call. Identity still enforces every method on the POST, so a copy that is a
 * few seconds stale can only show a button that then says "turned off" —
 * never let a disabled method through.
 *
 * Never fails: identity unreachable → the last copy, else the defaults (all
 * methods shown; identity refuses what is off).
 *
 * `EDGE_SETTINGS_TTL_MS` overrides the TTL; only the edge's vitest config sets
 * it ("0": no copy) so tests that flip settings through identity see them on
 * the next page, exactly as a single-isolate deployment would after the TTL.
 */
import { defaultSettings, SETTINGS_MEMORY_TTL_MS, type Settings, type SettingsDocument, type SignInMethodSettings } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { DocumentCopy, documentCopyTtl } from "../http/document_copy.ts"

/** One isolate's copy of the settings document (http/document_copy.ts). */
export class EdgeSettingsCopy extends DocumentCopy<SettingsDocument> {}

/** The copy of an isolate for `env` (TTL from `EDGE_SETTINGS_TTL_MS`, default {@link SETTINGS_MEMORY_TTL_MS}). */
export const edgeSettingsCopyFor = (env: { readonly EDGE_SETTINGS_TTL_MS?: string | undefined }, now: () => number = Date.now): EdgeSettingsCopy =>
  new EdgeSettingsCopy(documentCopyTtl(env), now)

/** The current settings as the pages see them (see the module comment). */
export const pageSettings = Effect.fnUntraced(function*() {
  const { backends, settingsCopy } = yield* Edge
  const fresh = settingsCopy.fresh()
  if (fresh !== undefined) return fresh.settings
  const document = yield* backends.settings.getSettings({}).pipe(Effect.catch(() => Effect.succeed(null)))
  if (document === null) return settingsCopy.lastKnown()?.settings ?? defaultSettings("production")
  settingsCopy.keep(document)
  return document.settings satisfies Settings
})

/** The sign-in methods the login page offers. */
export const enabledSignInMethods: Effect.Effect<SignInMethodSettings, never, Edge> = Effect.map(pageSettings(), (settings) => settings.signInMethods)

/** After a write through the edge (the admin API): this isolate shows the new document at once. */
export const keepWrittenSettings = (document: SettingsDocument): Effect.Effect<void, never, Edge> =>
  Edge.use(({ settingsCopy }) => Effect.sync(() => settingsCopy.keep(document)))
