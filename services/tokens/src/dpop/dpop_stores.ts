/**
 * `DpopStores`: what proof checking needs from outside — the DPoPJTIStore
 * namespace and the nonce secret. Its own service (not part of TokenStores)
 * so DPoP can be provided and tested on its own.
 */
import type { Misconfigured } from "@authrim/contracts"
import { Context, type Effect } from "effect"
import type { ServiceEnv } from "../env.ts"
import type { DPoPJTIStore } from "./dpop_jti_store.ts"
import { nonceSecret } from "./dpop_nonce.ts"

export class DpopStores extends Context.Service<DpopStores, {
  /** The DPoPJTIStore shard with this name. */
  readonly jtiStore: (shard: string) => DurableObjectStub<DPoPJTIStore>
  /**
   * HMAC secret of the server nonces; `Misconfigured` when it is required and missing (see dpop_nonce.ts).
   * An Effect, not a string, so a missing secret fails proof checks only — Bearer tokens never need it.
   */
  readonly nonceSecret: Effect.Effect<string, Misconfigured>
}>()("@authrim/tokens/DpopStores") {
  /** The live stores of a worker env (the secret is read once, here). */
  static fromEnv(env: ServiceEnv): DpopStores["Service"] {
    return DpopStores.of({
      jtiStore: (shard) => env.DPOP_JTIS.get(env.DPOP_JTIS.idFromName(shard)),
      nonceSecret: nonceSecret(env)
    })
  }
}
