/**
 * Live preview of a DRAFT branding for the admin console (issue 12 §2/§5):
 * the login page exactly as `/login` would render it with that branding —
 * same layout, same stylesheet, same header/footer/colour sheet
 * (branded_page.ts) — without saving anything. The console shows it in an
 * `<iframe>`; this response alone allows being framed by the issuer itself
 * (`frame-ancestors 'self'`, `X-Frame-Options: SAMEORIGIN`); every real page
 * keeps `frame-ancestors 'none'`. The form inside is inert: its transaction
 * id is `preview`, which `/login` refuses like any unknown transaction.
 *
 * Wiring: the console's `GET /admin/branding/preview?<draft>&lang=`
 * (console/console_branding_page.ts, `settings:read`) merges the draft over
 * the document `getBranding` answers and calls {@link renderBrandingPreview};
 * an `InvalidBranding` is the console's field error.
 */
import { applyBrandingPatch, InvalidBranding, type Branding, type BrandingPatch } from "@authrim/contracts"
import { Effect } from "effect"
import type { Locale } from "../i18n/locale.ts"
import { brandPageResponse } from "./branded_page.ts"
import type { ClientLinks } from "./client_links.ts"
import { loginPage } from "./login_page.ts"
import { pageBranding } from "./page_branding.ts"

/** What the preview shows besides the branding: the client the sample sign-in is for. */
export interface BrandingPreviewOptions {
  /** Name of the sample client ("Example app" by default). */
  readonly clientName?: string
  /** The sample client's logo and policy links (none by default). */
  readonly clientLinks?: ClientLinks
}

/** `response` allowed to be framed by this origin only (the console), nothing else changed. */
const frameableBySelf = (response: Response): Response => {
  const headers = new Headers(response.headers)
  headers.set("content-security-policy", (headers.get("content-security-policy") ?? "").replace("frame-ancestors 'none'", "frame-ancestors 'self'"))
  headers.set("x-frame-options", "SAMEORIGIN")
  return new Response(response.body, { status: response.status, headers })
}

/**
 * The login page in `locale` rendered with `branding` (a complete, already
 * checked branding), framable by the console. Pure apart from hashing the
 * colour sheet: no backend call.
 */
export const renderBrandingPreview = Effect.fnUntraced(function*(branding: Branding, locale: Locale, options: BrandingPreviewOptions = {}) {
  const page = loginPage(locale, {
    tx: "preview",
    csrf: "preview",
    clientName: options.clientName ?? "Example app",
    email: null,
    error: null,
    ...(options.clientLinks === undefined ? {} : { clientLinks: options.clientLinks })
  })
  return frameableBySelf(yield* brandPageResponse(page, branding))
})

/**
 * The preview of `draft` (a partial change, as `PATCH /branding` takes it)
 * applied over the current branding and checked by the same rules as a save:
 * a bad value fails with `InvalidBranding` naming the field, so the console
 * shows the same error the save would.
 */
export const brandingPreview = Effect.fnUntraced(function*(draft: BrandingPatch, locale: Locale, options: BrandingPreviewOptions = {}) {
  const branding = applyBrandingPatch(yield* pageBranding(), draft)
  if (branding instanceof InvalidBranding) return yield* branding
  return yield* renderBrandingPreview(branding, locale, options)
})
