/**
 * The identity worker's deep health RPC (src/identity_health.ts) over real Workers RPC:
 * D1, a ChallengeStore shard, the three KV namespaces, the audit archive bucket and
 * the audit queue producer each answer as one ok check.
 */
import type { HealthRpc } from "@authrim/contracts"
import { exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"

const identity: HealthRpc = exports.IdentityForEdge

describe("IdentityForEdge.health", () => {
  it("probes every binding it has, all ok", async () => {
    const result = await identity.health({})
    if (result._tag !== "Success") throw new Error(JSON.stringify(result))
    expect(result.value.service).toBe("authrim-identity")
    expect(result.value.checks.map((c) => [c.name, c.ok, c.detail])).toEqual([
      ["d1:DB", true, undefined],
      ["do:ChallengeStore", true, undefined],
      ["kv:CLIENTS", true, undefined],
      ["kv:STATE_STORE", true, undefined],
      ["kv:NONCE_STORE", true, undefined],
      ["r2:AUDIT_ARCHIVE", true, undefined],
      ["queue:AUDIT_QUEUE", true, undefined]
    ])
    expect(result.value.ok).toBe(true)
  })
})
