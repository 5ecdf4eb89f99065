/**
 * `signTokens` (KeysSigningContract): a token response's tokens, checked
 * against their kind's rules (token_claim_rules.ts) and signed in order with
 * the active key of each alg, in ONE call. Every token of the batch is checked
 * before any is signed; the first refusal fails the batch. The header is
 * `{alg, kid, typ}` with `typ` from the kind; an ID token's `at_hash` is
 * computed here from the access token its `atHashOf` names.
 */
import { SigningRefused, type Misconfigured, type SigningAlg, type TokenToSign, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { callKeyManager, type KeyManagerClient } from "./key_manager_client.ts"
import { atHash, signCompactJws } from "./sign_jws.ts"
import { cachedSigningKey } from "./signing_key_cache.ts"
import { refusalOf, typOfKind } from "./token_claim_rules.ts"
import { TokenIssuer } from "./token_issuer.ts"

/** The active key of `alg`, from isolate memory or the KeyManager. */
const signingKeyOf = (alg: SigningAlg) => cachedSigningKey(alg, callKeyManager("signingKey", (km) => km.signingKey(alg)))

/** Why `atHashOf` of token `index` is refused, or null (absent, or an earlier access token of the batch). */
const atHashOfRefusal = (tokens: ReadonlyArray<TokenToSign>, index: number): SigningRefused | null => {
  const token = tokens[index]!
  if (token.atHashOf === undefined) return null
  const refused = (reason: string) => new SigningRefused({ kind: token.kind, reason })
  if (token.kind !== "id_token") return refused("atHashOf is only for an id_token")
  const bound = Number.isInteger(token.atHashOf) && token.atHashOf >= 0 && token.atHashOf < index ? tokens[token.atHashOf] : undefined
  if (bound === undefined) return refused("atHashOf must name an earlier token of the batch")
  return bound.kind === "access_token" ? null : refused("atHashOf must name an access_token")
}

export const signTokens = Effect.fnUntraced(function*({ tokens }: { readonly tokens: ReadonlyArray<TokenToSign> }): Effect.fn.Return<
  { readonly signed: ReadonlyArray<{ readonly jwt: string; readonly kid: string }> },
  SigningRefused | Unavailable | Misconfigured,
  TokenIssuer | KeyManagerClient
> {
  const issuer = yield* TokenIssuer.use((rule) => rule)
  for (const [index, token] of tokens.entries()) {
    const refusal = refusalOf(token.kind, token.claims, issuer) ?? atHashOfRefusal(tokens, index)
    if (refusal !== null) return yield* refusal
  }
  const signed: Array<{ readonly jwt: string; readonly kid: string }> = []
  for (const token of tokens) {
    const signingKey = yield* signingKeyOf(token.alg)
    const bound = token.atHashOf === undefined ? undefined : signed[token.atHashOf]
    const claims = bound === undefined ? token.claims : { ...token.claims, at_hash: yield* atHash(bound.jwt) }
    signed.push({ jwt: yield* signCompactJws(signingKey, claims, typOfKind[token.kind]), kid: signingKey.kid })
  }
  return { signed }
})
