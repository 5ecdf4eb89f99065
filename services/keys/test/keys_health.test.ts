/** The keys worker's deep health RPC (src/keys_health.ts) over real Workers RPC: the KeyManager singleton answers `ping`. */
import type { HealthRpc } from "@authrim/contracts"
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"

const keys: HealthRpc = env.KEYS_FOR_EDGE

describe("KeysForEdge.health", () => {
  it("reaches the KeyManager and sees the audit queue bound", async () => {
    const result = await keys.health({})
    if (result._tag !== "Success") throw new Error(JSON.stringify(result))
    expect(result.value).toMatchObject({ service: "authrim-keys", ok: true })
    expect(result.value.checks.map((c) => [c.name, c.ok])).toEqual([["do:KeyManager", true], ["queue:AUDIT_QUEUE", true]])
  })
})
