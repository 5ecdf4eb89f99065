/**
 * `TokensService`: the RPC entrypoint (binding `TOKENS` → authrim-tokens).
 * Each method decodes, runs its program with the live stores, and encodes
 * the outcome through `serve`; nothing else runs Effects here.
 */
import { serve, TokensContract, type RpcInterface } from "@authrim/contracts"
import { WorkerEntrypoint } from "cloudflare:workers"
import { Effect } from "effect"
import type { ServiceEnv } from "./env.ts"
import { createAuthorizationCode, exchangeAuthorizationCode } from "./grants/authorization_code.ts"
import { refreshTokens } from "./grants/refresh_token.ts"
import { introspectToken } from "./introspect_token.ts"
import { revokeToken } from "./revoke_token.ts"
import { TokenStores } from "./token_stores.ts"
import { verifyAccessToken } from "./verify_access_token.ts"

export class TokensService extends WorkerEntrypoint<ServiceEnv> implements RpcInterface<typeof TokensContract> {
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

  verifyAccessToken(input: typeof TokensContract.verifyAccessToken.input.Encoded) {
    return serve(TokensContract.verifyAccessToken, input, (i) =>
      verifyAccessToken(i).pipe(Effect.provideService(TokenStores, this.stores)))
  }
}
