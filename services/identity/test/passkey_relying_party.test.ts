import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { relyingPartyFromEnv } from "../src/passkeys/passkey_relying_party.ts"
import { passkeyDisplayName } from "../src/passkeys/passkey_name.ts"

describe("WebAuthn relying party from configuration — WebAuthn L3 §5.1.3 (RP ID), §5.8.1 (origin)", () => {
  const misconfigured = (vars: Parameters<typeof relyingPartyFromEnv>[0]) =>
    Effect.runSync(Effect.flip(relyingPartyFromEnv(vars)))
  const complete = { WEBAUTHN_RP_ID: "example.com", WEBAUTHN_RP_NAME: "Example ID", WEBAUTHN_ORIGINS: "https://id.example.com" }

  it("has no default: each setting unset (or blank) is a configuration error naming it, never the localhost RP", () => {
    expect(misconfigured({})).toMatchObject({ _tag: "Misconfigured", service: "identity", setting: "WEBAUTHN_RP_ID" })
    expect(misconfigured({ ...complete, WEBAUTHN_RP_ID: " " })).toMatchObject({ _tag: "Misconfigured", setting: "WEBAUTHN_RP_ID" })
    expect(misconfigured({ ...complete, WEBAUTHN_RP_NAME: undefined })).toMatchObject({ _tag: "Misconfigured", setting: "WEBAUTHN_RP_NAME" })
    expect(misconfigured({ ...complete, WEBAUTHN_ORIGINS: ", ," })).toMatchObject({ _tag: "Misconfigured", setting: "WEBAUTHN_ORIGINS" })
  })

  it("reads the production RP id, name and comma-separated origins (trailing slashes dropped)", () => {
    expect(Effect.runSync(relyingPartyFromEnv({
      WEBAUTHN_RP_ID: "example.com",
      WEBAUTHN_RP_NAME: "Example ID",
      WEBAUTHN_ORIGINS: "https://id.example.com/, https://login.example.com"
    }))).toEqual({ id: "example.com", name: "Example ID", origins: ["https://id.example.com", "https://login.example.com"] })
  })
})

describe("Passkey labels", () => {
  it("trims, drops control characters, caps at 64 characters, and refuses an empty label", () => {
    expect(passkeyDisplayName("  Work\u0000 laptop \n")).toBe("Work laptop")
    expect(passkeyDisplayName("x".repeat(100))).toHaveLength(64)
    expect(passkeyDisplayName(" \t ")).toBeNull()
  })
})
