/**
 * `TokensService`: the RPC entrypoint (binding `TOKENS` → authrim-tokens),
 * served by `serveAll` with `tokensLayer` (built once per isolate and env).
 * Each handler is the program of its method; `serve` decodes its input and
 * encodes its outcome.
 */
import { DeviceContract, DpopContract, ParContract, RefreshFamiliesContract, serveAll, TokensContract, TokensLogoutContract } from "@authrim/contracts"
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
import { consumePushedRequest, pushAuthorizationRequest } from "./par/pushed_requests.ts"
import { revokeToken } from "./revoke_token.ts"
import { tokensServiceLayer } from "./tokens_service_layer.ts"
import { checkAccessTokenUse, verifyAccessToken } from "./verify_access_token.ts"
import { revokeClientTokens } from "./revoke_client_tokens.ts"

export class TokensService extends serveAll(WorkerEntrypoint<ServiceEnv>, {
  contracts: [TokensContract, TokensLogoutContract, ParContract, DeviceContract, DpopContract, RefreshFamiliesContract, HealthContract],
  layer: tokensServiceLayer,
  handlers: {
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
    revokeFamiliesForClient
  }
}) {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, tokensBindingMeters))
  }
}
