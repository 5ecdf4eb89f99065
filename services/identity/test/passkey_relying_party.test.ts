import { describe, expect, it } from "vitest"
import { LOCAL_RELYING_PARTY, relyingPartyFromEnv } from "../src/passkey_relying_party.ts"
import { passkeyDisplayName } from "../src/passkey_name.ts"

describe("WebAuthn relying party from configuration — WebAuthn L3 §5.1.3 (RP ID), §5.8.1 (origin)", () => {
  it("falls back to the local wrangler dev defaults when nothing is configured", () => {
    expect(relyingPartyFromEnv({})).toEqual(LOCAL_RELYING_PARTY)
    expect(relyingPartyFromEnv({ WEBAUTHN_RP_ID: " ", WEBAUTHN_ORIGINS: ", ," })).toEqual(LOCAL_RELYING_PARTY)
    expect(LOCAL_RELYING_PARTY.origins).toEqual(["http://localhost:8787", "http://127.0.0.1:8787"])
  })

  it("reads the production RP id, name and comma-separated origins (trailing slashes dropped)", () => {
    expect(relyingPartyFromEnv({
      WEBAUTHN_RP_ID: "example.com",
      WEBAUTHN_RP_NAME: "Example ID",
      WEBAUTHN_ORIGINS: "https://id.example.com/, https://login.example.com"
    })).toEqual({ id: "example.com", name: "Example ID", origins: ["https://id.example.com", "https://login.example.com"] })
  })
})

describe("Passkey labels", () => {
  it("trims, drops control characters, caps at 64 characters, and refuses an empty label", () => {
    expect(passkeyDisplayName("  Work\u0000 laptop \n")).toBe("Work laptop")
    expect(passkeyDisplayName("x".repeat(100))).toHaveLength(64)
    expect(passkeyDisplayName(" \t ")).toBeNull()
  })
})
