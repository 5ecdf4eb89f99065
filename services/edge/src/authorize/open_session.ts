/**
 * Opens a browser session after a successful password login (amr `pwd`,
 * RFC 8176) and builds its cookie, which lives exactly as long as the session.
 */
import type { EdgeFailure, Session } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import type { Backends } from "../backends.ts"
import { cookieHeader, SESSION_COOKIE } from "../http/cookies.ts"

/** The new session and its `Set-Cookie`. */
export const openPasswordSession = (
  backends: Backends,
  request: Request,
  userId: string
): Effect.Effect<{ session: Session; setCookie: string }, EdgeFailure> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const { session, cookie } = yield* backends.session.create({
      userId,
      amr: ["pwd"],
      acr: null,
      authTime: now,
      deviceName: null,
      ipAddress: request.headers.get("cf-connecting-ip"),
      userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null
    })
    return { session, setCookie: cookieHeader(SESSION_COOKIE, cookie, (session.expiresAt - now) / 1000) }
  })
