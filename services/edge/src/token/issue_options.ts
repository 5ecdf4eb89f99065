/**
 * Per-client issuing options (a function of the client, not bare defaults):
 * refresh tokens only for clients registered for the refresh_token grant;
 * the ID token signed with the client's `id_token_signed_response_alg`.
 */
import type { Client } from "@authrim/contracts"
import type { EdgeContext } from "../edge_context.ts"

/** The options every issuing call of the tokens service takes. */
export const issueOptions = (ctx: EdgeContext, client: Client) => ({
  issuer: ctx.issuer,
  issueRefreshToken: client.grantTypes.includes("refresh_token"),
  idTokenAlg: client.idTokenSignedResponseAlg,
  // RFC 9449 §5: a verified proof binds the access token; public clients' refresh tokens too.
  ...(ctx.dpopJkt === undefined ? {} : { dpopJkt: ctx.dpopJkt, bindRefreshToDpop: client.isPublic })
})
