/**
 * Branding (issue 12 §5): what every hosted page and email shows of the
 * operator's product — name, logo, colours, support and policy links. One
 * document, owned by the identity service and stored in D1 `branding_settings`
 * (the single row `id = 'default'`, migration 0016), versioned like the
 * settings document (settings.ts): the admin API's ETag / If-Match.
 *
 * Every rule a value must meet is checked here, once, for every writer (admin
 * API, seed): colours are `#rrggbb` and must keep WCAG 2.x AA contrast (4.5:1)
 * where the pages use them; links are `https:` only (a `javascript:` or
 * `http:` link is refused naming the field).
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** The branding itself (what an operator edits). `null`: not set, the pages' own default. */
export const Branding = Schema.Struct({
  /** Shown in every page's title and header and in every email (1–60 characters; default "Authrim"). */
  productName: Schema.String,
  /** Logo shown above each page's card: an `https:` URL, or a path of this issuer's `/avatars/` images. */
  logoUrl: Schema.NullOr(Schema.String),
  /** Accent in light mode (links, primary buttons, focus rings): `#rrggbb` with ≥ 4.5:1 against the white card. */
  primaryColor: Schema.NullOr(Schema.String),
  /** Accent in dark mode: `#rrggbb` with ≥ 4.5:1 against the dark card (#161b22); null keeps the built-in one. */
  primaryColorDark: Schema.NullOr(Schema.String),
  /** Page background around the card in light mode: `#rrggbb` with ≥ 4.5:1 against the footer text (#1f2328). */
  backgroundColor: Schema.NullOr(Schema.String),
  /** "Help" link in the page footer and in emails (`https:`). */
  supportUrl: Schema.NullOr(Schema.String),
  /** Support address shown (as `mailto:`) when there is no `supportUrl`, and in emails. */
  supportEmail: Schema.NullOr(Schema.String),
  /** Privacy policy link of the footer (`https:`). */
  privacyPolicyUrl: Schema.NullOr(Schema.String),
  /** Terms of service link of the footer (`https:`). */
  termsUrl: Schema.NullOr(Schema.String),
  /** A line of plain text in the footer (≤ 200 characters, e.g. "© 2026 Example Inc."). */
  footerText: Schema.NullOr(Schema.String)
})
/** Type of {@link Branding}. */
export type Branding = typeof Branding.Type

/** The product name of a deployment that never set one. */
export const DEFAULT_PRODUCT_NAME = "Authrim"

/** What the pages showed before branding existed (plus the product name). */
export const defaultBranding: Branding = {
  productName: DEFAULT_PRODUCT_NAME,
  logoUrl: null,
  primaryColor: null,
  primaryColorDark: null,
  backgroundColor: null,
  supportUrl: null,
  supportEmail: null,
  privacyPolicyUrl: null,
  termsUrl: null,
  footerText: null
}

/** The stored document: the branding and a version bumped by every write (ETag / If-Match). */
export const BrandingDocument = Schema.Struct({
  /** 0 = never written (the defaults); each successful update adds 1. */
  version: Schema.Number,
  /** Epoch ms of the last write (0 for the defaults). */
  updatedAt: Schema.Number,
  /** The admin who made the last write, or null. */
  updatedBy: Schema.NullOr(Schema.String),
  branding: Branding
})
/** Type of {@link BrandingDocument}. */
export type BrandingDocument = typeof BrandingDocument.Type

/** The document before anything was written. */
export const defaultBrandingDocument: BrandingDocument = { version: 0, updatedAt: 0, updatedBy: null, branding: defaultBranding }

/** A partial change: absent fields keep their value, `null` clears one (not `productName`). Checked as a whole after merging. */
export const BrandingPatch = Schema.Struct({
  productName: Schema.optional(Schema.String),
  logoUrl: Schema.optional(Schema.NullOr(Schema.String)),
  primaryColor: Schema.optional(Schema.NullOr(Schema.String)),
  primaryColorDark: Schema.optional(Schema.NullOr(Schema.String)),
  backgroundColor: Schema.optional(Schema.NullOr(Schema.String)),
  supportUrl: Schema.optional(Schema.NullOr(Schema.String)),
  supportEmail: Schema.optional(Schema.NullOr(Schema.String)),
  privacyPolicyUrl: Schema.optional(Schema.NullOr(Schema.String)),
  termsUrl: Schema.optional(Schema.NullOr(Schema.String)),
  footerText: Schema.optional(Schema.NullOr(Schema.String))
})
/** Type of {@link BrandingPatch}. */
export type BrandingPatch = typeof BrandingPatch.Type

/** A branding value refused; `field` names it. The admin API answers 400 with it as the problem's field. */
export class InvalidBranding extends Schema.TaggedError<InvalidBranding>()("InvalidBranding", {
  field: Schema.String,
  reason: Schema.String
}) {}

/** `expectedVersion` is not the stored version (someone else wrote first): the admin API answers 412. */
export class BrandingVersionConflict extends Schema.TaggedError<BrandingVersionConflict>()("BrandingVersionConflict", {
  currentVersion: Schema.Number
}) {}

const HEX_COLOUR = /^#[0-9a-f]{6}$/i

/** WCAG 2.x relative luminance of `#rrggbb`. */
const luminance = (hex: string): number => {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/** WCAG 2.x contrast ratio of two `#rrggbb` colours (1 … 21). */
export const contrastRatio = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** WCAG AA for normal text. */
export const AA_TEXT_CONTRAST = 4.5

/** The page colours each branding colour is checked against (page_stylesheet.ts uses the same). */
export const BRANDING_CONTRAST_PARTNERS = {
  /** Light card behind links; also the text on primary buttons. */
  primaryColor: { against: "#ffffff", where: "the white card and button text" },
  /** Dark-mode card. */
  primaryColorDark: { against: "#161b22", where: "the dark-mode card" },
  /** Footer text on the page background. */
  backgroundColor: { against: "#1f2328", where: "the footer text" }
} as const

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

const textRule = (field: string, max: number, value: string): InvalidBranding | null =>
  value.trim().length === 0 ? new InvalidBranding({ field, reason: "must not be empty" })
  : [...value].length > max ? new InvalidBranding({ field, reason: `must be at most ${max} characters` })
  : CONTROL.test(value) ? new InvalidBranding({ field, reason: "must not contain control characters or line breaks" })
  : null

/** True for an absolute `https:` URL without credentials (what the pages render as a link or an image). */
export const isHttpsUrl = (value: string): boolean => {
  if (value.length > 2000 || CONTROL.test(value)) return false
  try {
    const url = new URL(value)
    return url.protocol === "https:" && url.username === "" && url.password === "" && url.hostname !== ""
  } catch {
    return false
  }
}

/** The edge's own avatar path (services/edge/src/routes/avatar_serving.ts): a logo uploaded as an image of this issuer. */
const OWN_IMAGE = /^\/avatars\/[A-Za-z0-9._-]{1,200}$/

const urlRule = (field: string, value: string, ownImage = false): InvalidBranding | null =>
  isHttpsUrl(value) || (ownImage && OWN_IMAGE.test(value))
    ? null
    : new InvalidBranding({ field, reason: ownImage ? "must be an https: URL or an /avatars/ path of this issuer" : "must be an https: URL" })

const colourRule = (field: keyof typeof BRANDING_CONTRAST_PARTNERS, value: string): InvalidBranding | null => {
  if (!HEX_COLOUR.test(value)) return new InvalidBranding({ field, reason: "must be a colour written #rrggbb" })
  const { against, where } = BRANDING_CONTRAST_PARTNERS[field]
  const ratio = contrastRatio(value, against)
  return ratio >= AA_TEXT_CONTRAST
    ? null
    : new InvalidBranding({ field, reason: `contrast with ${where} (${against}) is ${ratio.toFixed(2)}:1; WCAG AA needs at least 4.5:1` })
}

const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,189}\.[^\s@<>".]{2,}$/

/** The first rule `branding` breaks, or null. */
export const brandingViolation = (b: Branding): InvalidBranding | null =>
  textRule("productName", 60, b.productName) ??
  (b.logoUrl === null ? null : urlRule("logoUrl", b.logoUrl, true)) ??
  (b.primaryColor === null ? null : colourRule("primaryColor", b.primaryColor)) ??
  (b.primaryColorDark === null ? null : colourRule("primaryColorDark", b.primaryColorDark)) ??
  (b.backgroundColor === null ? null : colourRule("backgroundColor", b.backgroundColor)) ??
  (b.supportUrl === null ? null : urlRule("supportUrl", b.supportUrl)) ??
  (b.supportEmail === null ? null : EMAIL.test(b.supportEmail) && b.supportEmail.length <= 254 ? null : new InvalidBranding({ field: "supportEmail", reason: "must be an email address" })) ??
  (b.privacyPolicyUrl === null ? null : urlRule("privacyPolicyUrl", b.privacyPolicyUrl)) ??
  (b.termsUrl === null ? null : urlRule("termsUrl", b.termsUrl)) ??
  (b.footerText === null ? null : textRule("footerText", 200, b.footerText))

/** `current` with `patch` applied (text trimmed, colours lower-cased), or the first rule the result breaks. */
export const applyBrandingPatch = (current: Branding, patch: BrandingPatch): Branding | InvalidBranding => {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<Branding>
  const merged: Branding = { ...current, ...defined }
  const next: Branding = {
    ...merged,
    productName: merged.productName.trim(),
    footerText: merged.footerText === null ? null : merged.footerText.trim(),
    primaryColor: merged.primaryColor?.toLowerCase() ?? null,
    primaryColorDark: merged.primaryColorDark?.toLowerCase() ?? null,
    backgroundColor: merged.backgroundColor?.toLowerCase() ?? null
  }
  return brandingViolation(next) ?? next
}

/** Methods of the identity service for branding (admin API, console, the edge's pages). */
export const BrandingContract = {
  /** The current document (the defaults at version 0 when none was written); identity answers from its isolate copy. */
  getBranding: rpcMethod(Schema.Struct({}), BrandingDocument, Schema.Union([Unavailable, NotFound])),
  /**
   * Applies `patch` when `expectedVersion` (If-Match) is absent or equals the
   * stored version (an atomic conditional UPDATE: of concurrent writers naming
   * the same version exactly one wins); the whole result is checked
   * (`InvalidBranding` names the field). Audited as `admin.action`.
   */
  updateBranding: rpcMethod(
    Schema.Struct({ patch: BrandingPatch, expectedVersion: Schema.optional(Schema.Number), adminUserId: Schema.NullOr(Schema.String) }),
    BrandingDocument,
    Schema.Union([InvalidBranding, BrandingVersionConflict, Unavailable, OAuthError])
  )
} as const
export const BrandingContractVersion = contractVersion(BrandingContract, { name: "branding", version: 1 })

/** RPC interface of the branding methods (served by `IdentityService`). */
export type BrandingRpc = RpcInterface<typeof BrandingContract>
