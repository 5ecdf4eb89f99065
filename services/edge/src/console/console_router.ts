/**
 * `/admin` and everything under it except the admin API: the console.
 *
 * Order of checks for a console page (console_routes.ts lists them):
 * 1. `/admin/callback` and `POST /admin/sign-out` are handled before any session check.
 * 2. No console cookie → a new OIDC sign-in (303 to /authorize, returning to this page).
 * 3. The token is verified exactly as the admin API verifies one (admin_auth.ts
 *    `authenticateAdminToken`: signature, revocation, scope `admin`, the user's CURRENT
 *    permissions read from identity). Expired or revoked → sign in again; no admin
 *    permission → a 403 page, not the console.
 * 4. A POST must carry the session's CSRF token (console_session.ts) → else a 403 page.
 * 5. The page runs; an operation's problem it does not show itself becomes a page with
 *    the problem's status (never raw JSON, never a 500 for bad input).
 */
import { holdsAdminPermission } from "@authrim/contracts"
import { Effect } from "effect"
import { authenticateAdminToken } from "../admin/admin_auth.ts"
import { payloadTooLarge, type AdminProblem } from "../admin/admin_problem.ts"
import type { Edge } from "../edge_layer.ts"
import { readCappedBody } from "../http/capped_body.ts"
import { readFormFields } from "../http/form_body.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { escapeHtml } from "../pages/html.ts"
import type { RouteContext } from "../route_context.ts"
import type { ConsoleCall } from "./console_call.ts"
import { problemBanner } from "./console_forms.ts"
import { consolePage, csrfInput, type ConsoleFrame } from "./console_layout.ts"
import { consoleRoutes, type ConsoleRoute } from "./console_routes.ts"
import { consoleCsrf, consoleToken, sameCsrf, CONSOLE_CALLBACK_PATH } from "./console_session.ts"
import { consoleCallback, consoleSignOut, startConsoleSignIn } from "./console_sign_in.ts"

interface CompiledRoute {
  readonly route: ConsoleRoute
  readonly pattern: RegExp
  readonly names: ReadonlyArray<string>
}

const compiled: ReadonlyArray<CompiledRoute> = consoleRoutes.map((route) => {
  const names: Array<string> = []
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name)
    return "([^/]+)"
  })
  return { route, pattern: new RegExp(`^${source}/?$`), names }
})

/** The route of `method` `pathname` with its decoded parameters; "method" when only another method matches. */
const match = (method: string, pathname: string): { route: ConsoleRoute; params: Record<string, string> } | "method" | null => {
  let other = false
  for (const candidate of compiled) {
    const found = candidate.pattern.exec(pathname)
    if (found === null) continue
    if (candidate.route.method !== method) {
      other = true
      continue
    }
    const params: Record<string, string> = {}
    try {
      candidate.names.forEach((name, i) => { params[name] = decodeURIComponent(found[i + 1]!) })
    } catch {
      return null
    }
    return { route: candidate.route, params }
  }
  return other ? "method" : null
}

/** A plain console page saying something went wrong (status kept). */
export const consoleProblemPage = (frame: ConsoleFrame, problem: AdminProblem): Response =>
  consolePage(frame, t(frame.locale, "console.problem.title"),
    `<h1>${tHtml(frame.locale, "console.problem.title")}</h1>${problemBanner(frame.locale, problem)}<p><a href="/admin">${tHtml(frame.locale, "console.backHome")}</a></p>`,
    { status: problem.status })

const simplePage = (frame: ConsoleFrame, status: number, titleKey: "console.notFound.title" | "console.csrf.title" | "console.forbidden.title", body: string) =>
  consolePage(frame, t(frame.locale, titleKey), `<h1>${tHtml(frame.locale, titleKey)}</h1>${body}`, { status })

/** The 403 page of a signed-in user who holds no admin permission (with sign-out, so another account can be used). */
const forbiddenPage = (frame: ConsoleFrame, detail: string) =>
  simplePage(frame, 403, "console.forbidden.title",
    `<p class="error" role="alert">${tHtml(frame.locale, "console.forbidden.body")}</p><p class="muted">${escapeHtml(detail)}</p>` +
      `<form method="post" action="/admin/sign-out">${csrfInput(frame)}<button type="submit">${tHtml(frame.locale, "console.signOut")}</button></form>`)

/** Room for a multipart form's other parts (CSRF token, boundaries) besides its file. */
const UPLOAD_OVERHEAD_BYTES = 16 * 1024

/** A multipart upload read under the cap: its text fields and its files; "too_large" beyond the cap, "malformed" when it is not one. */
const readUpload = Effect.fnUntraced(function*(request: Request, maxBytes: number) {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) return "malformed" as const
  const bytes = yield* readCappedBody(request, maxBytes + UPLOAD_OVERHEAD_BYTES).pipe(
    Effect.catchTag("BodyTooLarge", () => Effect.succeed("too_large" as const)),
    Effect.catchTag("BodyUnreadable", () => Effect.succeed("malformed" as const))
  )
  if (typeof bytes === "string") return bytes
  const parsed = yield* Effect.tryPromise({
    try: async () => {
      const data = await new Request(request.url, { method: "POST", headers: { "content-type": request.headers.get("content-type") ?? "" }, body: bytes }).formData()
      const form = new URLSearchParams()
      const files = new Map<string, Uint8Array>()
      for (const [name, value] of data.entries()) {
        if (typeof value === "string") form.append(name, value)
        else files.set(name, new Uint8Array(await value.arrayBuffer()))
      }
      return { form, files }
    },
    catch: () => "malformed" as const
  }).pipe(Effect.catch(() => Effect.succeed("malformed" as const)))
  return parsed
})

/** Handles `/admin` and `/admin/…` (not `/admin/api/…`). */
export const consoleRequest = Effect.fnUntraced(function*(request: Request, ctx: RouteContext): Effect.fn.Return<Response, never, Edge> {
  const url = new URL(request.url)
  const locale = pageLocale(request)
  const anonymous: ConsoleFrame = { locale, csrf: null }
  if (url.pathname === CONSOLE_CALLBACK_PATH && request.method === "GET") return yield* consoleCallback(request, ctx)
  const formOf = request.method === "POST"
    ? readFormFields(request).pipe(Effect.orElseSucceed(() => null))
    : Effect.succeed(new URLSearchParams())
  if (url.pathname === "/admin/sign-out" && request.method === "POST") return yield* consoleSignOut(request, ctx, (yield* formOf) ?? new URLSearchParams())

  const found = match(request.method, url.pathname)
  if (found === null) return simplePage(anonymous, 404, "console.notFound.title", `<p><a href="/admin">${tHtml(locale, "console.backHome")}</a></p>`)
  if (found === "method") {
    const response = simplePage(anonymous, 405, "console.notFound.title", `<p><a href="/admin">${tHtml(locale, "console.backHome")}</a></p>`)
    response.headers.set("allow", "GET, POST")
    return response
  }
  const accessToken = consoleToken(request)
  const returnTo = request.method === "GET" ? `${url.pathname}${url.search}` : "/admin"
  if (accessToken === undefined) return yield* startConsoleSignIn(ctx, returnTo, false, locale)
  const csrf = yield* consoleCsrf(accessToken)
  const frame: ConsoleFrame = { locale, csrf, section: found.route.section }
  const authenticated = yield* Effect.result(authenticateAdminToken(request, ctx, { token: accessToken, scheme: "Bearer" }, null))
  if (authenticated._tag === "Failure") {
    const problem = authenticated.failure
    if (problem.status === 401) return yield* startConsoleSignIn(ctx, returnTo, true, locale)
    if (problem.status === 403) return forbiddenPage(frame, problem.detail)
    return consoleProblemPage(frame, problem)
  }
  const admin = authenticated.success
  if (!holdsAdminPermission(admin.permissions)) return forbiddenPage(frame, t(locale, "console.forbidden.noPermission"))
  const upload = found.route.upload === undefined || request.method !== "POST" ? null : yield* readUpload(request, found.route.upload.maxBytes)
  if (upload === "too_large") return consoleProblemPage(frame, payloadTooLarge(found.route.upload!.maxBytes))
  const form = upload === null ? yield* formOf : upload === "malformed" ? null : upload.form
  if (request.method === "POST" && (form === null || !sameCsrf(form.get("csrf"), csrf))) {
    return simplePage(frame, 403, "console.csrf.title", `<p class="error" role="alert">${tHtml(locale, "console.csrf.body")}</p>`)
  }
  const call: ConsoleCall = {
    request, ctx, url, admin, frame, params: found.params, form: form ?? new URLSearchParams(), ...(upload !== null && typeof upload === "object" ? { files: upload.files } : {})
  }
  return yield* found.route.handle(call).pipe(
    Effect.catch((problem) => Effect.succeed(problem.status === 401 ? null : consoleProblemPage(frame, problem))),
    Effect.flatMap((response) => response === null ? startConsoleSignIn(ctx, returnTo, true, locale) : Effect.succeed(response))
  )
})
