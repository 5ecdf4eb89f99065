/** The last step of an authorization: a code for the signed-in session, sent to the RP with state and iss. */
import type { EdgeFailure, Session } from "@authrim/contracts"
import { Effect } from "effect"
import type { EdgeContext } from "../edge_context.ts"
import { respondToClient } from "./authorization_response.ts"
import type { PendingAuthorization } from "./pending_authorization.ts"

/** Creates the authorization code (tokens service) and delivers it. */
export const issueCode = (ctx: EdgeContext, request: PendingAuthorization, session: Session): Effect.Effect<Response, EdgeFailure> =>
  ctx.backends.tokens.createAuthorizationCode({
    clientId: request.target.clientId,
    redirectUri: request.target.redirectUri,
    userId: session.userId,
    scope: request.scopes.join(" "),
    codeChallenge: request.codeChallenge,
    nonce: request.nonce,
    authTime: session.authTime,
    acr: session.acr,
    amr: session.amr,
    sid: session.id
  }).pipe(Effect.map(({ code }) => respondToClient(request.target, ctx.issuer, [["code", code]])))
