import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { keyManagerName } from "../src/env.ts"
import { keys, validClaims } from "./keys_rpc.ts"
import { storedRows } from "./manual_clock.ts"

describe("keys entrypoints — concurrent first use", () => {
  it("20 concurrent getJwks/signTokens calls on a fresh KeyManager create exactly one key per alg, and all signatures use them", async () => {
    const keyManager = env.KEY_MANAGER.get(env.KEY_MANAGER.idFromName(keyManagerName))
    expect(await storedRows(keyManager)).toEqual([])

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? keys.getJwks().then(({ keys }) => keys.map((key) => String(key.kid)))
        : keys.signTokens({ tokens: [{ kind: "id_token", alg: i % 4 === 1 ? "RS256" : "ES256", claims: validClaims("id_token") }] })
          .then(({ signed }) => signed.map((s) => s.kid))))

    const rows = await storedRows(keyManager)
    expect(rows.map((row) => row.alg).sort()).toEqual(["ES256", "RS256"])
    expect(new Set(results.flat())).toEqual(new Set(rows.map((row) => row.kid)))
  })
})
