/**
 * A user's avatar on their console page (console-schema): the picture, an upload form
 * (`multipart/form-data` with the console's CSRF token; the route reads it under the
 * 5 MiB cap, console_router.ts `upload`) and a remove button — over the admin operations
 * `PUT` / `DELETE /users/{userId}/avatar` (admin_avatar_routes.ts): identity decides the
 * image kind from its bytes, the old object is deleted, the admin is the audited actor.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { escapeHtml } from "../pages/html.ts"
import type { FieldErrors } from "./console_forms.ts"
import type { ConsoleFrame } from "./console_layout.ts"
import { csrfInput } from "./console_layout.ts"

/** The section: `picture` the user's current claim (shown when it is one of ours or any URL), `errors` of a refused upload. */
export const userAvatarSection = (frame: ConsoleFrame, href: string, picture: string | null | undefined, errors: FieldErrors): string => {
  const locale: Locale = frame.locale
  const error = errors.get("body") ?? errors.get("avatar")
  const shown = typeof picture === "string" && picture.startsWith("http")
  return `<h2>${tHtml(locale, "console.userAvatar.title")}</h2>` +
    (shown ? `<p><img class="avatar" src="${escapeHtml(picture)}" alt="${escapeHtml(t(locale, "console.userAvatar.alt"))}" width="96" height="96"></p>` : `<p>${tHtml(locale, "console.userAvatar.none")}</p>`) +
    `<form method="post" action="${escapeHtml(href)}/avatar" enctype="multipart/form-data">${csrfInput(frame)}` +
    `<div><label for="f-avatar">${tHtml(locale, "console.userAvatar.file")}</label>` +
    `<input id="f-avatar" name="avatar" type="file" accept="image/jpeg,image/png,image/gif,image/webp" required aria-describedby="f-avatar-hint${error === undefined ? "" : " f-avatar-error"}"${error === undefined ? "" : ` aria-invalid="true"`}>` +
    `<p class="hint" id="f-avatar-hint">${tHtml(locale, "console.userAvatar.hint")}</p>` +
    (error === undefined ? "" : `<p class="field-error" id="f-avatar-error">${escapeHtml(error)}</p>`) + `</div>` +
    `<button type="submit">${tHtml(locale, "console.userAvatar.upload")}</button></form>` +
    (shown ? `<form class="quiet" method="post" action="${escapeHtml(href)}/avatar/remove">${csrfInput(frame)}<button type="submit">${tHtml(locale, "console.userAvatar.remove")}</button></form>` : "")
}
