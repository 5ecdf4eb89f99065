/**
 * `TokenStores`: what the token programs need from the outside world — the
 * four Durable Object namespaces, the keys service, the code-sealing key and the refresh grace window. Provided from the
 * worker's env by `tokensLayer` (once per isolate); tests provide the same from theirs.
 */
import { countCall, KeysPublicContract, KeysSigningContract, makeClient, Unavailable, type RpcClient } from "@authrim/contracts"
import { Context, Effect } from "effect"
import type { AuthorizationCodeStore } from "./authorization_code_store.ts"
import type { ServiceEnv } from "./env.ts"
import type { RefreshTokenRotator } from "./refresh_token_rotator.ts"
import type { TokenRevocationStore } from "./token_revocation_store.ts"
import type { RefreshFamilyIndex } from "./family_index/refresh_family_index.ts"
import { codeSealingKey } from "./sealed_code.ts"
import { refreshGraceOf, type RefreshGrace } from "./refresh_grace.ts"
import { pairwiseSubjectsOf, type PairwiseSubjects } from "./pairwise/pairwise_subject.ts"

/** What tokens may call on keys (the `KeysForTokens` entrypoint's contracts). */
export const keysForTokens = { ...KeysSigningContract, ...KeysPublicContract }

export class TokenStores extends Context.Service<TokenStores, {
  /** The AuthorizationCodeStore shard with this name. */
  readonly codeStore: (shard: string) => DurableObjectStub<AuthorizationCodeStore>
  /** The RefreshTokenRotator shard with this name. */
  readonly refreshRotator: (shard: string) => DurableObjectStub<RefreshTokenRotator>
  /** The TokenRevocationStore shard with this name. */
  readonly revocationStore: (shard: string) => DurableObjectStub<TokenRevocationStore>
  /** The RefreshFamilyIndex shard (user → families) with this name. */
  readonly familyIndex: (shard: string) => DurableObjectStub<RefreshFamilyIndex>
  /** Typed client of the keys service's `KeysForTokens` entrypoint: typed signing and the JWKS. */
  readonly keys: RpcClient<typeof keysForTokens>
  /** The AES-GCM key sealing authorization codes (`AUTHORIZATION_CODE_KEY`); `Unavailable` when it is not configured. */
  readonly codeKey: Effect.Effect<CryptoKey, Unavailable>
  /** The refresh reuse grace window and its successor key (`REFRESH_REUSE_GRACE_SECONDS`, `REFRESH_SUCCESSOR_SECRET`; refresh_grace.ts). */
  readonly refreshGrace: RefreshGrace
  /** Pairwise subject keys (`PAIRWISE_SUBJECT_SECRET`; pairwise/pairwise_subject.ts); `Unavailable` only when a pairwise client needs them and the secret is missing. */
  readonly pairwise: PairwiseSubjects
}>()("@authrim/tokens/TokenStores") {
  /** The live stores of a worker env. */
  static fromEnv(env: ServiceEnv): TokenStores["Service"] {
    return TokenStores.of({
      codeStore: (shard) => env.AUTHORIZATION_CODES.get(env.AUTHORIZATION_CODES.idFromName(shard)),
      refreshRotator: (shard) => env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName(shard)),
      revocationStore: (shard) => env.TOKEN_REVOCATIONS.get(env.TOKEN_REVOCATIONS.idFromName(shard)),
      familyIndex: (shard) => env.REFRESH_FAMILY_INDEX.get(env.REFRESH_FAMILY_INDEX.idFromName(shard)),
      keys: makeClient("keys", keysForTokens, env.KEYS),
      codeKey: codeSealingKey(env.AUTHORIZATION_CODE_KEY),
      refreshGrace: refreshGraceOf(env),
      pairwise: pairwiseSubjectsOf(env)
    })
  }
}

/** One Durable Object call; a thrown/rejected call becomes `Unavailable` (503, the client may retry). */
export const callStore = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, Unavailable> =>
  countCall("durableObjectCalls").pipe(Effect.andThen(Effect.tryPromise({
    try: run,
    catch: (cause) => new Unavailable({ service: "tokens", reason: `${operation}: ${cause instanceof Error ? cause.message : String(cause)}` })
  })))
