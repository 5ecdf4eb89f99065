/** OIDC Back-Channel Logout 1.0 §2.2 client metadata: stored, returned, validated. */
import { OAuthError } from "@authrim/contracts"
import { describe, expect, it } from "vitest"
import { getClient, upsertClient } from "../src/clients/clients.ts"
import { makeHarness, unique } from "./identity_harness.ts"

describe("backchannel_logout_uri — Back-Channel Logout 1.0 §2.2", () => {
  it("is stored and returned with backchannel_logout_session_required, and can be removed again", async () => {
    const h = makeHarness()
    const clientId = unique("bc")
    const base = { clientId, redirectUris: ["https://rp.example/cb"] }
    const client = await h.run(upsertClient({ ...base, backchannelLogoutUri: "https://rp.example/bc?x=1", backchannelLogoutSessionRequired: true }))
    expect(client).toMatchObject({ backchannelLogoutUri: "https://rp.example/bc?x=1", backchannelLogoutSessionRequired: true })
    expect(await h.run(getClient(clientId))).toMatchObject({ backchannelLogoutUri: "https://rp.example/bc?x=1" })
    const cleared = await h.run(upsertClient(base))
    expect(cleared.backchannelLogoutUri).toBeUndefined()
    expect(cleared.backchannelLogoutSessionRequired).toBeUndefined()
  })

  it("rejects a relative URI, a fragment, or a non-http scheme with invalid_client_metadata", async () => {
    const h = makeHarness()
    for (const uri of ["/bc", "https://rp.example/bc#frag", "javascript:alert(1)", "ftp://rp.example/bc"]) {
      const error = await h.fail(upsertClient({ clientId: unique("bad"), redirectUris: ["https://rp.example/cb"], backchannelLogoutUri: uri }))
      expect(error).toBeInstanceOf(OAuthError)
      expect(error).toMatchObject({ code: "invalid_client_metadata" })
    }
  })
})
