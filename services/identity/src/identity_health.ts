/**
 * The identity worker's deep health probes (contracts/src/health.ts): D1, challenge shard 0,
 * the three KV namespaces (a get of a missing key), the audit archive bucket (a head of a
 * missing key) and the audit queue producer.
 */
import { bindingProbe, d1Probe, durableObjectProbe, healthLayer, kvProbe, r2Probe } from "@authrim/contracts"
import { challengeShardName } from "./challenges/challenge_shard.ts"
import type { ServiceEnv } from "./env.ts"

export const identityHealthLayer = (env: ServiceEnv) =>
  healthLayer("authrim-identity", [
    d1Probe("d1:DB", env.DB),
    durableObjectProbe("do:ChallengeStore", () => env.CHALLENGES.get(env.CHALLENGES.idFromName(challengeShardName(0)))),
    kvProbe("kv:CLIENTS", env.CLIENTS),
    kvProbe("kv:STATE_STORE", env.STATE_STORE),
    kvProbe("kv:NONCE_STORE", env.NONCE_STORE),
    r2Probe("r2:AUDIT_ARCHIVE", env.AUDIT_ARCHIVE),
    bindingProbe("queue:AUDIT_QUEUE", env.AUDIT_QUEUE)
  ])
