/**
 * `TokensService`: the RPC entrypoint (binding `TOKENS` → authrim-tokens).
 * Each method decodes, runs its program with the live stores, and encodes
 * the outcome through `serve`; nothing else runs Effects here.
 */
import { RefreshFamiliesContract, serve, TokensContract, TokensLogoutContract, type RpcInterface } from "@authrim/contracts"
import { WorkerEntrypoint } from "cloudflare:workers"
import { Effect } from "effect"
import { ParContract } from "@authrim/contracts"
import { DeviceContract } from "@authrim/contracts"
import { DpopContract } from "@authrim/contracts"
import type { ServiceEnv } from "./env.ts"
import { createAuthorizationCode, exchangeAuthorizationCode } from "./grants/authorization_code.ts"
import { decideDeviceCode, describeDeviceCode, pollDeviceCode, startDeviceAuthorization } from "./device/device_grant.ts"
import { DeviceCodeStores } from "./device/device_stores.ts"
import { checkDpopProof } from "./dpop/check_dpop_proof.ts"
import { DpopStores } from "./dpop/dpop_stores.ts"
import { clientCredentials } from "./grants/client_credentials.ts"
import { refreshTokens } from "./grants/refresh_token.ts"
import { introspectToken } from "./introspect_token.ts"
import { queueBackchannelLogout } from "./logout/queue_backchannel_logout.ts"
import { verifyIdTokenHint } from "./logout/verify_id_token_hint.ts"
import { consumePushedRequest, PARStores, pushAuthorizationRequest } from "./par/pushed_requests.ts"
import { revokeAllForUser, revokeFamiliesForSession } from "./family_index/revoke_user_families.ts"
import { revokeToken } from "./revoke_token.ts"
import { TokenStores } from "./token_stores.ts"
import { checkAccessTokenUse, verifyAccessToken } from "./verify_access_token.ts"
import { meteredEnv } from "@authrim/cost-meter"
import { tokensBindingMeters } from "./env.ts"

export class TokensService extends WorkerEntrypoint<ServiceEnv>
  implements RpcInterface<typeof TokensContract>, RpcInterface<typeof TokensLogoutContract>, RpcInterface<typeof ParContract>,
  RpcInterface<typeof DeviceContract>, RpcInterface<typeof DpopContract>, RpcInterface<typeof RefreshFamiliesContract> {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, tokensBindingMeters))
  }

  private get stores() {
    return TokenStores.fromEnv(this.env)
  }

  createAuthorizationCode(input: typeof TokensContract.createAuthorizationCode.input.Encoded) {
    return serve(TokensContract.createAuthorizationCode, input, (i) =>
      createAuthorizationCode(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }

  exchangeAuthorizationCode(input: typeof TokensContract.exchangeAuthorizationCode.input.Encoded) {
    return serve(TokensContract.exchangeAuthorizationCode, input, (i) =>
      exchangeAuthorizationCode(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }

  refresh(input: typeof TokensContract.refresh.input.Encoded) {
    return serve(TokensContract.refresh, input, (i) => refreshTokens(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }

  revoke(input: typeof TokensContract.revoke.input.Encoded) {
    return serve(TokensContract.revoke, input, (i) => revokeToken(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }

  introspect(input: typeof TokensContract.introspect.input.Encoded) {
    return serve(TokensContract.introspect, input, (i) => introspectToken(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }

  clientCredentials(input: typeof TokensContract.clientCredentials.input.Encoded) {
    return serve(TokensContract.clientCredentials, input, (i) => clientCredentials(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }

  verifyAccessToken(input: typeof TokensContract.verifyAccessToken.input.Encoded) {
    return serve(TokensContract.verifyAccessToken, input, (i) =>
      verifyAccessToken(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }

  checkAccessTokenUse(input: typeof TokensContract.checkAccessTokenUse.input.Encoded) {
    return serve(TokensContract.checkAccessTokenUse, input, (i) =>
      checkAccessTokenUse(i, (proof) => checkDpopProof(proof).pipe(Effect.provideServiceEffect(DpopStores, DpopStores.fromEnv(this.env))))
        .pipe(Effect.provideService(TokenStores, this.stores)))
  }

  verifyIdTokenHint(input: typeof TokensLogoutContract.verifyIdTokenHint.input.Encoded) {
    return serve(TokensLogoutContract.verifyIdTokenHint, input, (i) =>
      verifyIdTokenHint(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }

  queueBackchannelLogout(input: typeof TokensLogoutContract.queueBackchannelLogout.input.Encoded) {
    return serve(TokensLogoutContract.queueBackchannelLogout, input, (i) => queueBackchannelLogout(this.env.BACKCHANNEL_LOGOUT_QUEUE, i))
  }

  pushAuthorizationRequest(input: typeof ParContract.pushAuthorizationRequest.input.Encoded) {
    return serve(ParContract.pushAuthorizationRequest, input, (i) =>
      pushAuthorizationRequest(i).pipe(Effect.provideService(PARStores, PARStores.fromEnv(this.env))))
  }

  consumePushedRequest(input: typeof ParContract.consumePushedRequest.input.Encoded) {
    return serve(ParContract.consumePushedRequest, input, (i) =>
      consumePushedRequest(i).pipe(Effect.provideService(PARStores, PARStores.fromEnv(this.env))))
  }

  startDeviceAuthorization(input: typeof DeviceContract.startDeviceAuthorization.input.Encoded) {
    return serve(DeviceContract.startDeviceAuthorization, input, (i) =>
      startDeviceAuthorization(i).pipe(Effect.provideService(DeviceCodeStores, DeviceCodeStores.fromEnv(this.env))))
  }

  describeDeviceCode(input: typeof DeviceContract.describeDeviceCode.input.Encoded) {
    return serve(DeviceContract.describeDeviceCode, input, (i) =>
      describeDeviceCode(i).pipe(Effect.provideService(DeviceCodeStores, DeviceCodeStores.fromEnv(this.env))))
  }

  decideDeviceCode(input: typeof DeviceContract.decideDeviceCode.input.Encoded) {
    return serve(DeviceContract.decideDeviceCode, input, (i) =>
      decideDeviceCode(i).pipe(Effect.provideService(DeviceCodeStores, DeviceCodeStores.fromEnv(this.env))))
  }

  pollDeviceCode(input: typeof DeviceContract.pollDeviceCode.input.Encoded) {
    return serve(DeviceContract.pollDeviceCode, input, (i) =>
      pollDeviceCode(i).pipe(
        Effect.provideService(TokenStores, this.stores),
        Effect.provideService(DeviceCodeStores, DeviceCodeStores.fromEnv(this.env))
      ))
  }

  checkDpopProof(input: typeof DpopContract.checkDpopProof.input.Encoded) {
    return serve(DpopContract.checkDpopProof, input, (i) =>
      checkDpopProof(i).pipe(Effect.provideServiceEffect(DpopStores, DpopStores.fromEnv(this.env))))
  }

  revokeFamiliesForSession(input: typeof RefreshFamiliesContract.revokeFamiliesForSession.input.Encoded) {
    return serve(RefreshFamiliesContract.revokeFamiliesForSession, input, (i) =>
      revokeFamiliesForSession(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }

  revokeAllForUser(input: typeof RefreshFamiliesContract.revokeAllForUser.input.Encoded) {
    return serve(RefreshFamiliesContract.revokeAllForUser, input, (i) =>
      revokeAllForUser(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }
}
