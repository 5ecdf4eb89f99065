/** authrim-tokens: the `TokensForEdge` and `TokensAdmin` entrypoints and the Durable Object classes it owns. */
import { runtimePerEnv } from "@authrim/contracts"
import type { ServiceEnv } from "./env.ts"
import { backchannelDeliveryLayer } from "./logout/backchannel_delivery_deps.ts"
import { deliverBackchannelBatch } from "./logout/deliver_backchannel.ts"
export { AuthorizationCodeStore } from "./authorization_code_store.ts"
export { RefreshTokenRotator } from "./refresh_token_rotator.ts"
export { TokenRevocationStore } from "./token_revocation_store.ts"
export { PARRequestStore } from "./par/par_request_store.ts"
export { DeviceCodeStore } from "./device/device_code_store.ts"
export { DPoPJTIStore } from "./dpop/dpop_jti_store.ts"
export { RefreshFamilyIndex } from "./family_index/refresh_family_index.ts"
export { TokensAdmin, TokensForEdge } from "./tokens_service.ts"
export { TokensForResourceServers } from "./tokens_for_resource_servers.ts"

/** The queue consumer's dependencies, built once per isolate and env (as `serveAll` does for the RPC methods). */
const deliveryRuntimeOf = runtimePerEnv(backchannelDeliveryLayer)

/**
 * Not public: the edge reaches this worker only over RPC. The queue handler
 * delivers back-channel logout tokens (a boundary: the one place it runs an Effect).
 */
export default {
  fetch: () => new Response("tokens: internal service", { status: 404 }),
  queue: (batch, env) => deliveryRuntimeOf(env).runPromise(deliverBackchannelBatch(batch))
} satisfies ExportedHandler<ServiceEnv>
