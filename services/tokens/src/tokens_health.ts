/**
 * The tokens worker's deep health probes (contracts/src/health.ts): revocation shard `rv00`
 * (every token verification may read one), the keys binding and both queue producers.
 */
import { bindingProbe, durableObjectProbe, healthLayer } from "@authrim/contracts"
import type { ServiceEnv } from "./env.ts"

export const tokensHealthLayer = (env: ServiceEnv) =>
  healthLayer("authrim-tokens", [
    durableObjectProbe("do:TokenRevocationStore", () => env.TOKEN_REVOCATIONS.get(env.TOKEN_REVOCATIONS.idFromName("rv00"))),
    bindingProbe("service:KEYS", env.KEYS),
    bindingProbe("queue:AUDIT_QUEUE", env.AUDIT_QUEUE),
    bindingProbe("queue:BACKCHANNEL_LOGOUT_QUEUE", env.BACKCHANNEL_LOGOUT_QUEUE)
  ])
