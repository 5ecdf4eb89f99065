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

/** One isolate's copy of the settings document. */
export class EdgeSettingsCopy {
  #document: SettingsDocument | null = null
  #expiresAt = 0
  readonly #ttlMs: number
  readonly #now: () => number

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs
    this.#now = now
  }

  /** The copy while fresh, else undefined. */
  fresh(): SettingsDocument | undefined {
    return this.#document !== null && this.#expiresAt > this.#now() ? this.#document : undefined
  }

  /** The last copy however old (used when identity cannot answer). */
  lastKnown(): SettingsDocument | null {
    return this.#document
  }

  /** Keeps `document` for the TTL; an older version never replaces a newer one. */
  keep(document: SettingsDocument): void {
    if (this.#document === null || document.version >= this.#document.version) this.#document = document
    this.#expiresAt = this.#now() + this.#ttlMs
  }
}

/** The copy of an isolate for `env` (TTL from `EDGE_SETTINGS_TTL_MS`, default {@link SETTINGS_MEMORY_TTL_MS}). */
export const edgeSettingsCopyFor = (env: { readonly EDGE_SETTINGS_TTL_MS?: string | undefined }, now: () => number = Date.now): EdgeSettingsCopy => {
  const raw = env.EDGE_SETTINGS_TTL_MS?.trim()
  const configured = Number(raw)
  return new EdgeSettingsCopy(raw !== undefined && raw !== "" && Number.isInteger(configured) && configured >= 0 ? configured : SETTINGS_MEMORY_TTL_MS, now)
}

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
