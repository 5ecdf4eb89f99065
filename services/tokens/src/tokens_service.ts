/**
 * The tokens worker's named entrypoints, one per caller role (issue 13 §2;
 * method lists in contracts/src/tokens_entrypoints.ts): `TokensForEdge` (edge
 * `TOKENS`) and `TokensAdmin` (edge `TOKENS_ADMIN`, the admin API only), both
 * `serveAll` over the same handlers and Layer function (one shared runtime per
 * isolate and env). Each handler is the program of its method; `serve` decodes
 * its input and encodes its outcome.
 */
import { DeviceContract, DpopContract, ParContract, RefreshFamiliesContract, serveAll, SignedResponsesContract, TokenExchangeContract, TokensAdminContracts, TokensContract, TokensForEdgeContracts, TokensLogoutContract, type HandlersOf } from "@authrim/contracts"
import { meteredEnv } from "@authrim/cost-meter"
import { WorkerEntrypoint } from "cloudflare:workers"
import { checkHealth, HealthContract } from "@authrim/contracts"
import { decideDeviceCode, describeDeviceCode, pollDeviceCode, startDeviceAuthorization } from "./device/device_grant.ts"
import { checkDpopProof } from "./dpop/check_dpop_proof.ts"
import { tokensBindingMeters, type ServiceEnv } from "./env.ts"
import { revokeAllForUser, revokeFamiliesForClient, revokeFamiliesForSession } from "./family_index/revoke_user_families.ts"
import { createAuthorizationCode, exchangeAuthorizationCode } from "./grants/authorization_code.ts"
import { clientCredentials } from "./grants/client_credentials.ts"
import { refreshTokens } from "./grants/refresh_token.ts"
import { introspectToken } from "./introspect_token.ts"
import { queueBackchannelLogout } from "./logout/queue_backchannel_logout.ts"
import { verifyIdTokenHint } from "./logout/verify_id_token_hint.ts"
import { pairwiseSubjectFor } from "./pairwise/pairwise_subject_for.ts"
import { consumePushedRequest, pushAuthorizationRequest } from "./par/pushed_requests.ts"
import { revokeToken } from "./revoke_token.ts"
import { tokensServiceLayer } from "./tokens_service_layer.ts"
import type { Layer } from "effect"
import { checkAccessTokenUse, verifyAccessToken } from "./verify_access_token.ts"
import { revokeClientTokens } from "./revoke_client_tokens.ts"
import { signAuthorizationResponse, signIntrospectionResponse } from "./response_jwts.ts"
import { exchangeToken } from "./grants/token_exchange.ts"

/** Every contract the tokens worker implements, in whole. */
const tokensContracts = [TokensContract, TokensLogoutContract, ParContract, DeviceContract, DpopContract, RefreshFamiliesContract, SignedResponsesContract, TokenExchangeContract, HealthContract] as const

/** One handler per method of every tokens contract. */
export const tokensHandlers: HandlersOf<typeof tokensContracts, Layer.Success<ReturnType<typeof tokensServiceLayer>>> = {
  /** Deep health (contracts/src/health.ts): probes of what this worker is bound to, see src/tokens_health.ts. */
  health: checkHealth,
  createAuthorizationCode,
  exchangeAuthorizationCode,
  refresh: refreshTokens,
  revoke: revokeToken,
  introspect: introspectToken,
  clientCredentials,
  verifyAccessToken,
  /** The DPoP proof (when asked) is checked beside the denylist read; a Bearer token never needs the DPoP settings. */
  checkAccessTokenUse: (input) => checkAccessTokenUse(input, checkDpopProof),
  revokeClientTokens,
  verifyIdTokenHint,
  pairwiseSubject: pairwiseSubjectFor,
  queueBackchannelLogout,
  pushAuthorizationRequest,
  consumePushedRequest,
  startDeviceAuthorization,
  describeDeviceCode,
  decideDeviceCode,
  pollDeviceCode,
  checkDpopProof,
  revokeFamiliesForSession,
  revokeAllForUser,
  revokeFamiliesForClient,
  signAuthorizationResponse,
  signIntrospectionResponse,
  exchangeToken
}

/** Every tokens entrypoint: with the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter). */
export class MeteredTokensEntrypoint extends WorkerEntrypoint<ServiceEnv> {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    super(ctx, meteredEnv(env, tokensBindingMeters))
  }
}

/** The edge's runtime binding: the token, PAR, device, DPoP and logout endpoints' work; JARM and RFC 9701 response JWTs; RFC 8693 token exchange. */
export class TokensForEdge extends serveAll(MeteredTokensEntrypoint, {
  name: "tokens",
  contracts: TokensForEdgeContracts,
  layer: tokensServiceLayer,
  handlers: tokensHandlers
}) {}

/** The admin API's binding: revoking a user's refresh token families. */
export class TokensAdmin extends serveAll(MeteredTokensEntrypoint, {
  name: "tokens",
  contracts: TokensAdminContracts,
  layer: tokensServiceLayer,
  handlers: tokensHandlers
}) {}
