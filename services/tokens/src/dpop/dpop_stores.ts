/**
 * `DpopStores`: what proof checking needs from outside — the DPoPJTIStore
 * namespace and the nonce secret. Its own service (not part of TokenStores)
 * so DPoP can be provided and tested on its own.
 */
import type { Misconfigured } from "@authrim/contracts"
import { Context, Effect } from "effect"
import type { ServiceEnv } from "../env.ts"
import type { DPoPJTIStore } from "./dpop_jti_store.ts"
import { nonceSecret } from "./dpop_nonce.ts"

export class DpopStores extends Context.Service<DpopStores, {
  /** The DPoPJTIStore shard with this name. */
  readonly jtiStore: (shard: string) => DurableObjectStub<DPoPJTIStore>
  /** HMAC secret of the server nonces. */
  readonly nonceSecret: string
}>()("@authrim/tokens/DpopStores") {
  /** The live stores of a worker env; `Misconfigured` when the nonce secret is required and missing (see dpop_nonce.ts). */
  static fromEnv(env: ServiceEnv): Effect.Effect<DpopStores["Service"], Misconfigured> {
    return nonceSecret(env).pipe(Effect.map((secret) => DpopStores.of({
      jtiStore: (shard) => env.DPOP_JTIS.get(env.DPOP_JTIS.idFromName(shard)),
      nonceSecret: secret
    })))
  }
}
