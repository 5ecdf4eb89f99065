/** Bindings of the tokens worker (see wrangler.jsonc and storage-schema.md). */
import type { KeysRpc } from "@authrim/contracts"
import type { AuthorizationCodeStore } from "./authorization_code_store.ts"
import type { RefreshTokenRotator } from "./refresh_token_rotator.ts"
import type { TokenRevocationStore } from "./token_revocation_store.ts"

export interface ServiceEnv {
  /** AuthorizationCodeStore shards `ac00`…`ac31` (shard named inside the code). */
  AUTHORIZATION_CODES: DurableObjectNamespace<AuthorizationCodeStore>
  /** RefreshTokenRotator shards `rt:<clientId>:<0..7>`. */
  REFRESH_TOKENS: DurableObjectNamespace<RefreshTokenRotator>
  /** TokenRevocationStore shards `rv00`…`rv31` by jti. */
  TOKEN_REVOCATIONS: DurableObjectNamespace<TokenRevocationStore>
  /** authrim-keys / KeysService: signs tokens, serves the JWKS. */
  KEYS: KeysRpc
}
