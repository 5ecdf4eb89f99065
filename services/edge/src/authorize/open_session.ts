/**
 * Opens a browser session after a successful sign-in and builds its cookie,
 * which lives exactly as long as the session. `amr` values follow RFC 8176
 * (`pwd`, `hwk`/`user`, `otp`, `mfa`, …), `acr` is what the methods add up to.
 */
import type { EdgeFailure, Session } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { deviceNameFrom } from "../account/device_name.ts"
import { cookieHeader, SESSION_COOKIE } from "../http/cookies.ts"

/** How the user proved who they are. */
export interface SignInMethod {
  readonly amr: ReadonlyArray<string>
  readonly acr: string | null
}

/** The password method (RFC 8176 `pwd`). */
export const passwordMethod: SignInMethod = { amr: ["pwd"], acr: null }

/**
 * The new session and its `Set-Cookie`. `recordClientId`: the RP that gets a
 * code next, recorded with the session in the same call (`clientRecorded`
 * false when the session service did not — an older one; record it then).
 */
export const openSession = Effect.fnUntraced(function*(
  request: Request,
  userId: string,
  method: SignInMethod,
  recordClientId?: string
): Effect.fn.Return<{ session: Session; setCookie: string; clientRecorded: boolean }, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const now = yield* Clock.currentTimeMillis
  const userAgent = request.headers.get("user-agent")?.slice(0, 512) ?? null
  const { session, cookie, clientRecorded } = yield* backends.session.create({
    userId,
    amr: [...method.amr],
    acr: method.acr,
    authTime: now,
    deviceName: deviceNameFrom(userAgent),
    ipAddress: request.headers.get("cf-connecting-ip"),
    userAgent,
    ...(recordClientId === undefined ? {} : { recordClientId })
  })
  return { session, setCookie: cookieHeader(SESSION_COOKIE, cookie, (session.expiresAt - now) / 1000), clientRecorded: clientRecorded === true }
})
