/** The session worker's deep health probes (contracts/src/health.ts): D1, SessionStore shard 0 and the audit queue producer. */
import { bindingProbe, d1Probe, durableObjectProbe, healthLayer } from "@authrim/contracts"
import type { SessionEnv } from "./env.ts"
import { sessionShardName } from "./session_shard.ts"

export const sessionHealthLayer = (env: SessionEnv) =>
  healthLayer("authrim-session", [
    d1Probe("d1:DB", env.DB),
    durableObjectProbe("do:SessionStore", () => env.SESSION_STORE.get(env.SESSION_STORE.idFromName(sessionShardName(0)))),
    bindingProbe("queue:AUDIT_QUEUE", env.AUDIT_QUEUE)
  ])
