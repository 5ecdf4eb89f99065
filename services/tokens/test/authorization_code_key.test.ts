/**
 * Issue 10: authorization codes are sealed with `AUTHORIZATION_CODE_KEY`. It
 * has no fallback: without it, minting or redeeming a code is a configuration
 * error naming the setting (503 at the edge), never an unsealed or
 * per-isolate-keyed code.
 */
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { codeSealingKey, sealGrant, unsealGrant } from "../src/sealed_code.ts"
import { grantInput } from "./token_fixtures.ts"

describe("AUTHORIZATION_CODE_KEY — required, no fallback", () => {
  it("missing or blank: Unavailable naming the setting", async () => {
    for (const secret of [undefined, "", "   "]) {
      const exit = await Effect.runPromise(Effect.result(codeSealingKey(secret)))
      expect(exit).toMatchObject({ _tag: "Failure", failure: { _tag: "Unavailable", service: "tokens" } })
      expect(exit._tag === "Failure" ? exit.failure.reason : "").toContain("AUTHORIZATION_CODE_KEY")
    }
  })

  it("a code sealed under one key does not open under another", async () => {
    const one = await Effect.runPromise(codeSealingKey("k".repeat(43)))
    const other = await Effect.runPromise(codeSealingKey("q".repeat(43)))
    const sealed = { grant: grantInput(), issuedAt: 1, expiresAt: 60_001 }
    const body = await Effect.runPromise(sealGrant(one, "ac03", sealed))
    expect(await Effect.runPromise(unsealGrant(one, "ac03", body))).toEqual({
      ...sealed, grant: { ...sealed.grant, sessionExpiresAt: null }
    })
    expect(await Effect.runPromise(unsealGrant(other, "ac03", body))).toBeNull()
    expect(await Effect.runPromise(unsealGrant(one, "ac04", body))).toBeNull()
  })
})
