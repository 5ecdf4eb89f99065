/**
 * Branding in the console (issue 12 §2/§5): one form over the branding document
 * (`getBranding` / `updateBranding`, its version in a hidden field → If-Match) and,
 * beside it, a LIVE PREVIEW of the login page in an `<iframe>`.
 *
 * - The iframe shows `GET /admin/branding/preview?<draft fields>&lang=en|ja`
 *   (console-authenticated; runs `getBranding`, so it needs `settings:read`): the
 *   draft applied over the saved branding and checked by the same rules as a save
 *   (contracts `applyBrandingPatch`), rendered by pages/branding_preview.ts
 *   (`frame-ancestors 'self'` for that response only). A refused draft answers a
 *   small framable 400 page naming the field (`data-field`).
 * - Without JavaScript the "Preview" button posts the form (CSRF-checked, nothing
 *   saved) and the page comes back with the draft in the fields and in the iframe's
 *   URL, a refused value shown next to its field. With script (nonce-allowed,
 *   {@link BRANDING_PREVIEW_SCRIPT}) the iframe follows the form as the admin types
 *   (debounced) and a refused value appears next to its field.
 * - Only this page's CSP adds `frame-src 'self'` (every other console page keeps
 *   `default-src 'none'` for frames).
 */
import { applyBrandingPatch, InvalidBranding, type BrandingDocument, type BrandingPatch } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import type { Locale } from "../i18n/locale.ts"
import type { MessageKey } from "../i18n/messages_en.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { randomToken } from "../http/random_token.ts"
import { seeOther } from "../http/redirect.ts"
import { renderBrandingPreview } from "../pages/branding_preview.ts"
import { escapeHtml } from "../pages/html.ts"
import { PAGE_STYLESHEET } from "../pages/page_stylesheet.ts"
import { bodyOf, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import { fieldErrorsOf, inputField, notice, problemBanner, selectField, textOrNull, timeText, versionInput, versionOf, type FieldErrors } from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"

/** The branding fields, in form order, with their input type. */
const FIELDS = [
  ["productName", "text"],
  ["logoUrl", "url"],
  ["primaryColor", "text"],
  ["primaryColorDark", "text"],
  ["backgroundColor", "text"],
  ["supportUrl", "url"],
  ["supportEmail", "email"],
  ["privacyPolicyUrl", "url"],
  ["termsUrl", "url"],
  ["footerText", "text"]
] as const

type FieldName = (typeof FIELDS)[number][0]

/** The colour fields and the placeholder each shows (an example that passes its contrast rule). */
const COLOURS: ReadonlyMap<string, string> = new Map([["primaryColor", "#0b57d0"], ["primaryColorDark", "#79b8ff"], ["backgroundColor", "#f6f8fa"]])

/** The draft a form or query names: only the fields present (blank → null, i.e. cleared; the product name as typed). */
export const brandingDraftOf = (params: URLSearchParams): BrandingPatch => {
  const draft: Record<string, string | null> = {}
  for (const [name] of FIELDS) {
    const value = params.get(name)
    if (value === null) continue
    draft[name] = name === "productName" ? value : textOrNull(value)
  }
  return draft as BrandingPatch
}

/** The preview's language: `lang` when supported, else the console's. */
const previewLocaleOf = (params: URLSearchParams, fallback: Locale): Locale => {
  const lang = params.get("lang")
  return lang === "en" || lang === "ja" ? lang : fallback
}

/** The iframe's URL for `draft` in `locale`. */
const previewHref = (draft: BrandingPatch, locale: Locale): string => {
  const query = new URLSearchParams()
  for (const [name] of FIELDS) {
    const value = draft[name]
    if (value !== undefined) query.set(name, value ?? "")
  }
  query.set("lang", locale)
  return `/admin/branding/preview?${query}`
}

/**
 * The page's script: the iframe follows the form (debounced 400 ms) and a draft the
 * preview refuses is shown next to its field. Allowed by the response's nonce.
 */
export const BRANDING_PREVIEW_SCRIPT =
  `(()=>{const f=document.getElementById("branding-form"),p=document.getElementById("branding-preview");let w;` +
  `const go=()=>{const q=new URLSearchParams();for(const[k,v]of new FormData(f))if(k!=="csrf"&&k!=="version"&&k!=="intent")q.append(k,String(v));` +
  `p.contentWindow.location.replace("/admin/branding/preview?"+q)};` +
  `f.addEventListener("input",()=>{clearTimeout(w);w=setTimeout(go,400)});f.addEventListener("change",()=>{clearTimeout(w);w=setTimeout(go,50)});` +
  `p.addEventListener("load",()=>{for(const e of f.querySelectorAll(".live-error"))e.remove();` +
  `for(const i of f.querySelectorAll("[data-live]")){i.removeAttribute("aria-invalid");i.setAttribute("aria-describedby",i.dataset.live);i.removeAttribute("data-live")}` +
  `const d=p.contentDocument&&p.contentDocument.querySelector("[data-field]");if(!d)return;const i=document.getElementById("f-"+d.dataset.field);if(!i||i.getAttribute("aria-invalid"))return;` +
  `const m=document.createElement("p");m.className="field-error live-error";m.id=i.id+"-live";m.textContent=d.dataset.reason;i.after(m);` +
  `i.dataset.live=i.getAttribute("aria-describedby")||"";i.setAttribute("aria-invalid","true");i.setAttribute("aria-describedby",m.id)})})()`

/** `response` with `frame-src 'self'` added to its CSP (this page's iframe). */
const allowingSelfFrames = (response: Response): Response => {
  const headers = new Headers(response.headers)
  headers.set("content-security-policy", `${headers.get("content-security-policy") ?? "default-src 'none'"}; frame-src 'self'`)
  return new Response(response.body, { status: response.status, headers })
}

const brandingPage = (call: ConsoleCall, document: BrandingDocument, posted: URLSearchParams | null, errors: FieldErrors, problem: AdminProblem | null, status: number) => {
  const { locale } = call.frame
  const { branding } = document
  const value = (name: FieldName) => posted === null ? branding[name] ?? "" : posted.get(name) ?? ""
  const previewLocale = previewLocaleOf(posted ?? call.url.searchParams, locale)
  const draft = posted === null ? {} : brandingDraftOf(posted)
  const label = (name: FieldName) => t(locale, `console.branding.${name}` as MessageKey)
  const field = ([name, type]: (typeof FIELDS)[number]) =>
    inputField({
      name, label: label(name), value: value(name), errors, type,
      ...(COLOURS.has(name) ? { hint: t(locale, `console.branding.${name}Hint` as MessageKey), attributes: `pattern="#[0-9a-fA-F]{6}" placeholder="${COLOURS.get(name)!}"` } : {}),
      ...(name === "productName" ? { attributes: "required maxlength=\"60\"" } : {})
    })
  return allowingSelfFrames(consolePage(call.frame, t(locale, "console.branding.title"),
    `<h1>${tHtml(locale, "console.branding.title")}</h1><p class="muted">${tHtml(locale, "console.version", { version: document.version })} · ` +
      `${tHtml(locale, "console.updated", { time: timeText(document.updatedAt || null) })}${document.updatedBy === null ? "" : ` · ${escapeHtml(document.updatedBy)}`}</p>` +
      `<p>${tHtml(locale, "console.branding.intro")}</p>` +
      notice(call.url.searchParams.get("saved") === "1" ? t(locale, "console.savedNotice") : null) + problemBanner(locale, problem, "/admin/branding") +
      `<div class="grid"><form id="branding-form" method="post" action="/admin/branding" novalidate>${csrfInput(call.frame)}${versionInput(document.version)}` +
      FIELDS.map(field).join("") +
      selectField({ name: "lang", id: "f-lang", label: t(locale, "console.branding.previewLanguage"), value: previewLocale, options: [["en", "English"], ["ja", "日本語"]] }) +
      `<div class="actions"><button type="submit" name="intent" value="save">${tHtml(locale, "console.save")}</button>` +
      `<button type="submit" name="intent" value="preview">${tHtml(locale, "console.branding.preview")}</button></div></form>` +
      `<section aria-labelledby="preview-heading"><h2 id="preview-heading">${tHtml(locale, "console.branding.previewHeading")}</h2>` +
      `<iframe id="branding-preview" title="${escapeHtml(t(locale, "console.branding.previewTitle"))}" width="100%" height="720" ` +
      `src="${escapeHtml(previewHref(draft, previewLocale))}"></iframe></section></div>`,
    { status, script: { nonce: randomToken(16), source: BRANDING_PREVIEW_SCRIPT } }))
}

/** `GET /admin/branding`. */
export const brandingFormPage = Effect.fnUntraced(function*(call: ConsoleCall) {
  const document = bodyOf<BrandingDocument>(yield* runOperation(call, "getBranding"))
  return brandingPage(call, document, null, new Map(), null, 200)
})

/** `POST /admin/branding`: `intent=preview` shows the draft (nothing saved); otherwise the whole form is one patch. */
export const updateBrandingForm = Effect.fnUntraced(function*(call: ConsoleCall) {
  const form = call.form
  const draft = brandingDraftOf(form)
  if (form.get("intent") === "preview") {
    const document = bodyOf<BrandingDocument>(yield* runOperation(call, "getBranding"))
    const checked = applyBrandingPatch(document.branding, draft)
    const errors: FieldErrors = checked instanceof InvalidBranding ? new Map([[checked.field, checked.reason]]) : new Map()
    return brandingPage(call, document, form, errors, null, checked instanceof InvalidBranding ? 400 : 200)
  }
  const result = yield* tryOperation(call, "updateBranding", { body: draft, ifMatch: versionOf(form) })
  if (result.ok) return seeOther("/admin/branding?saved=1")
  const document = bodyOf<BrandingDocument>(yield* runOperation(call, "getBranding"))
  return brandingPage(call, document, form, fieldErrorsOf(result.problem), result.problem, result.problem.status)
})

/** The framable 400 page of a refused draft: which field, why (`data-field` / `data-reason` for the console's script). */
const refusedDraftPage = (locale: Locale, refusal: InvalidBranding): Response => {
  const response = htmlResponse(
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${tHtml(locale, "console.branding.previewInvalid")}</title><style>${PAGE_STYLESHEET}</style></head>` +
      `<body><main><p class="error" role="alert" data-field="${escapeHtml(refusal.field)}" data-reason="${escapeHtml(refusal.reason)}">` +
      `<strong>${tHtml(locale, "console.branding.previewInvalid")}</strong> ${escapeHtml(t(locale, `console.branding.${refusal.field}` as MessageKey) ?? refusal.field)}: ${escapeHtml(refusal.reason)}</p></main></body></html>`,
    { status: 400 })
  const headers = new Headers(response.headers)
  headers.set("content-security-policy", (headers.get("content-security-policy") ?? "").replace("frame-ancestors 'none'", "frame-ancestors 'self'"))
  headers.set("x-frame-options", "SAMEORIGIN")
  return new Response(response.body, { status: 400, headers })
}

/** `GET /admin/branding/preview?<draft>&lang=`: the login page with the draft (needs `settings:read`; nothing saved). */
export const brandingPreviewFrame = Effect.fnUntraced(function*(call: ConsoleCall) {
  const document = bodyOf<BrandingDocument>(yield* runOperation(call, "getBranding"))
  const locale = previewLocaleOf(call.url.searchParams, call.frame.locale)
  const checked = applyBrandingPatch(document.branding, brandingDraftOf(call.url.searchParams))
  if (checked instanceof InvalidBranding) return refusedDraftPage(locale, checked)
  return yield* renderBrandingPreview(checked, locale)
})
