/** authrim-tokens: the TokensService entrypoint and the Durable Object classes it owns. */
import { Effect } from "effect"
import type { ServiceEnv } from "./env.ts"
import { backchannelDeliveryDeps } from "./logout/backchannel_delivery_deps.ts"
import { deliverBackchannelBatch } from "./logout/deliver_backchannel.ts"
export { AuthorizationCodeStore } from "./authorization_code_store.ts"
export { RefreshTokenRotator } from "./refresh_token_rotator.ts"
export { TokenRevocationStore } from "./token_revocation_store.ts"
export { PARRequestStore } from "./par/par_request_store.ts"
export { DeviceCodeStore } from "./device/device_code_store.ts"
export { DPoPJTIStore } from "./dpop/dpop_jti_store.ts"
export { RefreshFamilyIndex } from "./family_index/refresh_family_index.ts"
export { TokensService } from "./tokens_service.ts"

/**
 * Not public: the edge reaches this worker only over RPC. The queue handler
 * delivers back-channel logout tokens (a boundary: the one place it runs an Effect).
 */
export default {
  fetch: () => new Response("tokens: internal service", { status: 404 }),
  queue: (batch, env) => Effect.runPromise(deliverBackchannelBatch(backchannelDeliveryDeps(env), batch))
} satisfies ExportedHandler<ServiceEnv>
