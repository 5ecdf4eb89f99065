/**
 * Per-client issuing options (a function of the client, not bare defaults):
 * refresh tokens only for clients registered for the refresh_token grant (and
 * then only with offline_access, or session-bound for `onlineRefreshTokens`
 * clients: the tokens service decides from the granted scope);
 * the ID token signed with the client's `id_token_signed_response_alg`;
 * a pairwise client's sector (OIDC Core §8.1), for its per-sector `sub`.
 */
import { pairwiseSectorOf, type Client } from "@authrim/contracts"
import type { RouteContext } from "../route_context.ts"

/** The options every issuing call of the tokens service takes. */
export const issueOptions = (ctx: RouteContext, client: Client) => ({
  issuer: ctx.issuer,
  issueRefreshToken: client.grantTypes.includes("refresh_token"),
  onlineRefreshTokens: client.onlineRefreshTokens === true,
  idTokenAlg: client.idTokenSignedResponseAlg,
  // RFC 9449 §5: a verified proof binds the access token; public clients' refresh tokens too.
  ...(ctx.dpopJkt === undefined ? {} : { dpopJkt: ctx.dpopJkt, bindRefreshToDpop: client.isPublic }),
  ...pairwiseOption(client)
})

/** `{ pairwiseSector }` for a pairwise client, else nothing (public `sub`; older tokens workers see no new field). */
export const pairwiseOption = (client: Client): { readonly pairwiseSector?: string } => {
  const sector = pairwiseSectorOf(client)
  return sector === undefined ? {} : { pairwiseSector: sector }
}
