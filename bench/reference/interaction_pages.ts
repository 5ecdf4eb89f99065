/**
 * The reference's login and consent pages: plain HTML forms shaped like
 * Authrim's (fields `email`/`password`; buttons `decision=approve|deny`), so
 * the same driver fills both.
 */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`

export const loginPage = (uid: string, error: string | null) =>
  page(
    "Sign in",
    `<h1>Sign in</h1>` + (error === null ? "" : `<p role="alert">${escapeHtml(error)}</p>`) +
      `<form method="post" action="/interaction/${escapeHtml(uid)}/login">` +
      `<input type="email" name="email" value="" required><input type="password" name="password" value="" required>` +
      `<button type="submit">Sign in</button></form>`
  )

export const consentPage = (uid: string, scopes: ReadonlyArray<string>) =>
  page(
    "Allow access",
    `<h1>Allow access?</h1><ul>${scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>` +
      `<form method="post" action="/interaction/${escapeHtml(uid)}/confirm">` +
      `<button type="submit" name="decision" value="approve">Allow</button>` +
      `<button type="submit" name="decision" value="deny">Deny</button></form>`
  )
