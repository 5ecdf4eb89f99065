/**
 * Email magic link sign-in: the browser-binding cookie and the method's amr.
 *
 * Binding: when a browser asks for a link, the edge gives it a random
 * `__Host-authrim_magic_link` cookie (256 bits, HttpOnly, 15 minutes = the link's
 * life); the identity service keeps only its SHA-256 with the link. Redeeming
 * needs the same cookie, so a link opened in any other browser — a victim's
 * mailbox being read by an attacker, or an attacker's link mailed to a victim
 * (login CSRF) — does not sign that browser in. The cookie is reused while it
 * lives, so two links asked for in one browser both work there.
 *
 * amr: RFC 8176 registers no value for "proved control of a mailbox". This
 * provider emits `email` (the value Okta and others use; RFC 8176 §1 allows
 * unregistered values by agreement) rather than `otp`, because `otp` here
 * means a TOTP/recovery code and counts as a second factor — a magic link is
 * one factor, so a user with TOTP is still asked for a code. acr: none.
 */
import { cookieHeader, readCookie } from "../http/cookies.ts"
import type { SignInMethod } from "./open_session.ts"
import { RANDOM_TOKEN_SHAPE, randomToken } from "../http/random_token.ts"

/** The browser-binding cookie of magic links. */
export const MAGIC_LINK_COOKIE = "__Host-authrim_magic_link"
/** The binding cookie lives as long as a link (15 minutes). */
export const MAGIC_LINK_COOKIE_SECONDS = 15 * 60

/** The magic-link sign-in method. */
export const magicLinkMethod: SignInMethod = { amr: ["email"], acr: null }


/** The browser's binding value: the live cookie when well formed, else a new random one. */
export const browserBinding = (request: Request): string => {
  const existing = readCookie(request, MAGIC_LINK_COOKIE)
  if (existing !== undefined && RANDOM_TOKEN_SHAPE.test(existing)) return existing
  return randomToken()
}

/** The binding cookie the request carries, if any. */
export const presentedBinding = (request: Request): string | null => readCookie(request, MAGIC_LINK_COOKIE) ?? null

/** `Set-Cookie` that (re)sets the binding. */
export const bindingCookie = (value: string): string => cookieHeader(MAGIC_LINK_COOKIE, value, MAGIC_LINK_COOKIE_SECONDS)

/** `Set-Cookie` that removes the binding after a successful sign-in. */
export const clearBindingCookie = (): string => cookieHeader(MAGIC_LINK_COOKIE, "", 0)
