/** The keys worker's deep health probes (contracts/src/health.ts): its KeyManager singleton and the audit queue producer. */
import { bindingProbe, durableObjectProbe, healthLayer } from "@authrim/contracts"
import { keyManagerName, type KeysEnv } from "./env.ts"

export const keysHealthLayer = (env: KeysEnv) =>
  healthLayer("authrim-keys", [
    durableObjectProbe("do:KeyManager", () => env.KEY_MANAGER.get(env.KEY_MANAGER.idFromName(keyManagerName))),
    bindingProbe("queue:AUDIT_QUEUE", env.AUDIT_QUEUE)
  ])
