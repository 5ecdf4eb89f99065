/**
 * The branding document (issue 12 §5, contracts/src/branding.ts), owned here:
 * D1 `branding_settings`, the single row `id = 'default'` (migration 0016),
 * read through this isolate's copy (`BrandingCopy`, 30 s like the settings
 * copy) and written by `updateBranding` with one conditional UPDATE — the
 * version check and the write are the same statement, so of concurrent writers
 * naming one version exactly one succeeds (unlike KV SETTINGS, D1 can do that).
 * Audited as `admin.action`. How fast a write is in force elsewhere:
 * storage-schema.md "branding_settings".
 */
import {
  applyBrandingPatch,
  Branding,
  BrandingVersionConflict,
  defaultBrandingDocument,
  InvalidBranding,
  logger,
  SETTINGS_MEMORY_TTL_MS,
  tryD1,
  type BrandingDocument,
  type BrandingPatch
} from "@authrim/contracts"
import { Clock, Context, Effect, Schema } from "effect"
import { auditBrandingChange } from "../identity_audit.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

/** One isolate's copy of the branding document; `now` injected so tests control time. */
export class BrandingCopy {
  #entry: { readonly document: BrandingDocument; readonly expiresAt: number } | null = null
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /** The copy while fresh (for {@link SETTINGS_MEMORY_TTL_MS}), else undefined. */
  get(): BrandingDocument | undefined {
    return this.#entry !== null && this.#entry.expiresAt > this.#now() ? this.#entry.document : undefined
  }

  /** Keeps `document`; a newer version is never replaced by an older one. */
  set(document: BrandingDocument): void {
    const current = this.#entry?.document
    this.#entry = { document: current !== undefined && current.version > document.version ? current : document, expiresAt: this.#now() + SETTINGS_MEMORY_TTL_MS }
  }

  /** Drops the copy: the next read goes to D1. */
  forget(): void {
    this.#entry = null
  }
}

/** This isolate's copy (one per isolate by default; a test provides its own). */
export const IdentityBrandingCopy = Context.Reference<BrandingCopy>("@authrim/identity/BrandingCopy", { defaultValue: () => new BrandingCopy() })

interface BrandingRow {
  readonly product_name: string | null
  readonly logo_url: string | null
  readonly primary_color: string | null
  readonly primary_color_dark: string | null
  readonly background_color: string | null
  readonly support_url: string | null
  readonly support_email: string | null
  readonly privacy_policy_url: string | null
  readonly terms_url: string | null
  readonly footer_text: string | null
  readonly version: number
  readonly updated_at: number
  readonly updated_by: string | null
}

const columns = "product_name, logo_url, primary_color, primary_color_dark, background_color, support_url, support_email, privacy_policy_url, terms_url, footer_text, version, updated_at, updated_by"

const documentOf = (row: BrandingRow): BrandingDocument | null => {
  const branding = {
    productName: row.product_name ?? defaultBrandingDocument.branding.productName,
    logoUrl: row.logo_url,
    primaryColor: row.primary_color,
    primaryColorDark: row.primary_color_dark,
    backgroundColor: row.background_color,
    supportUrl: row.support_url,
    supportEmail: row.support_email,
    privacyPolicyUrl: row.privacy_policy_url,
    termsUrl: row.terms_url,
    footerText: row.footer_text
  }
  return Schema.is(Branding)(branding) ? { version: row.version, updatedAt: row.updated_at, updatedBy: row.updated_by, branding } : null
}

/** The stored document from D1 (no copy): a missing row is the defaults. */
const readStored = Effect.fnUntraced(function*() {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "branding_settings.get", () =>
    db.prepare(`SELECT ${columns} FROM branding_settings WHERE id = 'default'`).first<BrandingRow>())
  if (row === null) return defaultBrandingDocument
  const document = documentOf(row)
  if (document === null) yield* logger(serviceName).warn("branding_settings row does not decode; using the defaults")
  return document ?? defaultBrandingDocument
})

/** The current branding document: this isolate's copy when fresh, else one D1 read. */
export const getBranding = Effect.fnUntraced(function*() {
  const copy = yield* IdentityBrandingCopy
  const cached = copy.get()
  if (cached !== undefined) return cached
  const document = yield* readStored()
  copy.set(document)
  return document
})

/**
 * Applies `patch`. Reads the stored row fresh (not the copy), checks the
 * merged result as a whole, then writes it with `WHERE version = ?`: zero rows
 * changed means another write came first (`BrandingVersionConflict`), so no
 * lost update even without `expectedVersion`.
 */
export const updateBranding = Effect.fnUntraced(function*(input: {
  readonly patch: BrandingPatch
  readonly expectedVersion?: number | undefined
  readonly adminUserId: string | null
}) {
  const { db } = yield* IdentityBindings
  const copy = yield* IdentityBrandingCopy
  const current = yield* readStored()
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    return yield* new BrandingVersionConflict({ currentVersion: current.version })
  }
  const next = applyBrandingPatch(current.branding, input.patch)
  if (next instanceof InvalidBranding) return yield* next
  const document: BrandingDocument = {
    version: current.version + 1,
    updatedAt: yield* Clock.currentTimeMillis,
    updatedBy: input.adminUserId,
    branding: next
  }
  const b = document.branding
  const values = [b.productName, b.logoUrl, b.primaryColor, b.primaryColorDark, b.backgroundColor, b.supportUrl, b.supportEmail, b.privacyPolicyUrl, b.termsUrl, b.footerText, document.version, document.updatedAt, document.updatedBy]
  // The row exists from migration 0016; the INSERT only covers a database whose row was deleted by hand.
  const result = yield* tryD1(serviceName, "branding_settings.update", () =>
    current.version === 0
      ? db.prepare(
        `INSERT INTO branding_settings (id, ${columns}) VALUES ('default', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET ${columns.split(", ").map((c) => `${c} = excluded.${c}`).join(", ")} WHERE branding_settings.version = 0`
      ).bind(...values).run()
      : db.prepare(
        `UPDATE branding_settings SET ${columns.split(", ").map((c) => `${c} = ?`).join(", ")} WHERE id = 'default' AND version = ?`
      ).bind(...values, current.version).run())
  if (result.meta.changes !== 1) {
    const now = yield* readStored()
    return yield* new BrandingVersionConflict({ currentVersion: now.version })
  }
  // In force in this isolate on its very next request.
  copy.set(document)
  yield* auditBrandingChange({ adminUserId: input.adminUserId, version: document.version, fields: Object.keys(input.patch).filter((k) => input.patch[k as keyof BrandingPatch] !== undefined).join(",") })
  return document
})
