/**
 * The end of a step-up re-authentication (called by `finishSignIn` once the
 * login transaction is consumed): the sign-in must be the session's own user
 * with the required method (`satisfiesStepUp`), else nothing changes and a
 * 403 page says why. Then the SAME session records the new authentication
 * (`authTime` = now, the method's amr/acr) and the browser returns to the
 * page. A session that ended meanwhile is replaced by a new one: the user did
 * just authenticate, fully.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { AuthorizationTransaction } from "../authorize/authorization_transaction.ts"
import { openSession, type SignInMethod } from "../authorize/open_session.ts"
import { withCookies } from "../http/cookies.ts"
import { seeOther } from "../http/redirect.ts"
import { stepUpRefusedPage } from "../pages/step_up_page.ts"
import { satisfiesStepUp } from "./step_up.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"

/** Finishes step-up transaction `tx` (already consumed) signed in as `userId` with `method`. */
export const finishStepUp = Effect.fnUntraced(function*(
  request: Request,
  tx: AuthorizationTransaction,
  userId: string,
  method: SignInMethod
): Effect.fn.Return<Response, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const locale = pageLocale(request)
  if (tx.stepUp === null || tx.sessionId === null || tx.userId !== userId) {
    return stepUpRefusedPage(locale, t(locale, "stepUp.refused.otherAccount"), tx.returnTo)
  }
  if (!satisfiesStepUp(tx.stepUp, method)) {
    return stepUpRefusedPage(locale, t(locale, "stepUp.refused.weaker"), tx.returnTo)
  }
  const now = yield* Clock.currentTimeMillis
  const renewed = yield* backends.sessionReauth.recordReauthentication({
    sessionId: tx.sessionId,
    userId,
    authTime: now,
    amr: [...method.amr],
    acr: method.acr
  }).pipe(Effect.as(true), Effect.catchTag("NotFound", () => Effect.succeed(false)))
  if (renewed) return seeOther(tx.returnTo)
  const { setCookie } = yield* openSession(request, userId, method)
  return withCookies(seeOther(tx.returnTo), [setCookie])
})
