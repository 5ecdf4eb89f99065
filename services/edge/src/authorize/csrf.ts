/**
 * CSRF protection of the login and consent forms: double submit, bound to the
 * transaction. Each browser holds a random secret in the `__Host-authrim_csrf`
 * cookie; a transaction records it in its challenge metadata and the form
 * echoes it in the hidden `csrf` field. A POST is accepted only when form,
 * cookie and transaction agree — so an attacker can neither forge a post into
 * a victim's transaction nor plant their own transaction (login CSRF): they
 * know neither the victim's cookie nor can they set it.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { CSRF_COOKIE, cookieHeader, readCookie } from "../http/cookies.ts"
import type { Params } from "../http/request_params.ts"
import { RANDOM_TOKEN_SHAPE, randomToken } from "../http/random_token.ts"

/** Lifetime of the CSRF cookie: a login transaction's (the ChallengeStore's 15 minutes), renewed per transaction. */
export const CSRF_COOKIE_SECONDS = 15 * 60


/**
 * This browser's CSRF secret: the existing cookie when it is well formed (so
 * sign-ins in two tabs do not invalidate each other), else a new one.
 */
export const browserCsrfToken = (request: Request): string => {
  const existing = readCookie(request, CSRF_COOKIE)
  return existing !== undefined && RANDOM_TOKEN_SHAPE.test(existing) ? existing : randomToken()
}

/** The `Set-Cookie` that (re)sets the CSRF secret. */
export const csrfCookie = (token: string): string => cookieHeader(CSRF_COOKIE, token, CSRF_COOKIE_SECONDS)

const bytes = (s: string) => new TextEncoder().encode(s)

/** Constant-time equality of two tokens. */
const sameToken = (a: string, b: string): boolean => {
  const x = bytes(a)
  const y = bytes(b)
  return x.byteLength === y.byteLength && crypto.subtle.timingSafeEqual(x, y)
}

/** Succeeds when the form's `csrf`, the cookie and the transaction's token are one and the same. */
export const verifyCsrf = (request: Request, form: Params, expected: string): Effect.Effect<void, OAuthError> => {
  const submitted = form.get("csrf")
  const cookie = readCookie(request, CSRF_COOKIE)
  return submitted !== undefined && cookie !== undefined && sameToken(submitted, expected) && sameToken(cookie, expected)
    ? Effect.void
    : Effect.fail(new OAuthError({ code: "invalid_request", description: "the form has expired or did not come from this site; start the sign-in again" }))
}
