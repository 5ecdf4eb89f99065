/**
 * The settings document as every reader sees it: isolate memory for
 * {@link SETTINGS_MEMORY_TTL_MS}, then one KV read of `SETTINGS` /
 * `system_settings` (DESIGN §2: "cached in memory briefly"). A request that
 * finds a fresh copy costs nothing; an isolate reads KV at most once per TTL.
 * The writer (identity's `updateSettings`) puts the new document into its own
 * isolate's copy, so it is in force there on the very next request. Shared by
 * identity, tokens and session (each binds the namespace).
 */
import { Context, Effect, Layer } from "effect"
import { Unavailable } from "./errors.ts"
import { logger } from "./log.ts"
import { defaultSettings, defaultSettingsDocument, SETTINGS_KV_KEY, settingsDocumentFrom, type Settings, type SettingsDocument } from "./settings.ts"

/**
 * How long an isolate keeps the document: the bound on how stale another
 * isolate can be after a change (plus KV's propagation, ≤ 60 s across
 * locations, which dominates anyway). Why not shorter: the reads are per
 * isolate and per TTL whatever the traffic — three workers × every isolate ×
 * 2,880 reads a day at 30 s (17,280 at 5 s), and KV reads were the upstream
 * bill's largest line (DESIGN §2). Same bound as the client metadata cache.
 */
export const SETTINGS_MEMORY_TTL_MS = 30_000

/** One isolate's copy of the settings document; `now` injected so tests control time. */
export class SystemSettingsCache {
  #entry: { readonly document: SettingsDocument; readonly expiresAt: number } | null = null
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /** The copy while fresh, else undefined. */
  get(): SettingsDocument | undefined {
    if (this.#entry === null || this.#entry.expiresAt <= this.#now()) return undefined
    return this.#entry.document
  }

  /** Keeps `document` for the TTL (a newer version is never replaced by an older one read from a lagging KV). */
  set(document: SettingsDocument): void {
    const current = this.#entry?.document
    const keep = current !== undefined && current.version > document.version ? current : document
    this.#entry = { document: keep, expiresAt: this.#now() + SETTINGS_MEMORY_TTL_MS }
  }

  /** Drops the copy: the next read goes to KV. */
  forget(): void {
    this.#entry = null
  }
}

/**
 * The current document: memory, else KV. A missing key is the defaults
 * (version 0); an unreadable value is logged and read as the defaults too —
 * settings never take a service down. A KV failure is `Unavailable`.
 */
export const readSystemSettings = Effect.fnUntraced(function*(
  kv: KVNamespace,
  cache: SystemSettingsCache,
  environment: "development" | "production",
  service: string
) {
  const cached = cache.get()
  if (cached !== undefined) return cached
  const raw = yield* Effect.tryPromise({
    try: () => kv.get(SETTINGS_KV_KEY, "json"),
    catch: (cause) => new Unavailable({ service, reason: `KV SETTINGS get: ${cause instanceof Error ? cause.message : String(cause)}` })
  })
  const decoded = raw === null ? null : settingsDocumentFrom(raw, environment)
  if (raw !== null && decoded === null) yield* logger(service).warn("SETTINGS system_settings does not decode; using the defaults")
  const document = decoded ?? defaultSettingsDocument(environment)
  cache.set(document)
  return document
})

/** How a service reads the settings: `current` never fails (a KV fault keeps the last copy, else the defaults). */
export interface SystemSettingsReader {
  readonly current: Effect.Effect<Settings>
}

/**
 * The settings of the running service (tokens and session read lifetimes
 * through it). Without a layer it is the defaults, so a program or a test
 * harness that does not provide it behaves as before settings existed.
 */
export const SystemSettings = Context.Reference<SystemSettingsReader>("@authrim/contracts/SystemSettings", {
  defaultValue: () => ({ current: Effect.succeed(defaultSettings("production")) })
})

/**
 * `SystemSettings` over KV `SETTINGS` with one cache per Layer build (serveAll
 * builds it once per isolate). An unbound namespace (a deployment made before
 * the binding existed) reads as the defaults.
 */
export const systemSettingsLayer = (kv: KVNamespace | undefined, environment: "development" | "production", service: string) => {
  const cache = new SystemSettingsCache()
  let lastKnown: SettingsDocument | null = null
  const current: Effect.Effect<Settings> = kv === undefined
    ? Effect.succeed(defaultSettings(environment))
    : readSystemSettings(kv, cache, environment, service).pipe(
      Effect.tap((document) => Effect.sync(() => { lastKnown = document })),
      Effect.map((document) => document.settings),
      Effect.catch((error) =>
        Effect.as(logger(service).warn("KV SETTINGS unreadable; using the last known settings", { reason: error.reason }),
          lastKnown?.settings ?? defaultSettings(environment)))
    )
  return Layer.succeed(SystemSettings)({ current })
}
