/** Bindings of the tokens worker (see wrangler.jsonc and storage-schema.md). */
import type { KeysRpc } from "@authrim/contracts"
import type { BackchannelMessage } from "./logout/backchannel_message.ts"
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
  /** Back-channel logout deliveries (producer and consumer: this worker; see storage-schema.md). */
  BACKCHANNEL_LOGOUT_QUEUE: Queue<BackchannelMessage>
  /** First back-channel retry delay in seconds, doubled per attempt (default 5). */
  BACKCHANNEL_RETRY_BASE_SECONDS?: string
}
