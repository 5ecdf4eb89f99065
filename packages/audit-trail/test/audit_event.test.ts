import { ulidTimestamp } from "@authrim/platform"
import { describe, expect, it } from "vitest"
import { auditEvent } from "../src/index.ts"

describe("auditEvent", () => {
  it("fills id (a ULID of its time), nulls and the success outcome", () => {
    const event = auditEvent({ type: "sign_in.succeeded", actor: { kind: "user", id: "u1" }, userId: "u1", at: 1_700_000_000_000 })
    expect(ulidTimestamp(event.id)).toBe(1_700_000_000_000)
    expect(event).toMatchObject({ at: 1_700_000_000_000, outcome: "success", subject: null, clientId: null, ip: null, userAgent: null, requestId: null, details: {} })
  })

  it("never carries a secret-looking detail, and cuts long strings", () => {
    const event = auditEvent({
      type: "token.issued",
      actor: { kind: "client", id: "c1" },
      details: {
        grant: "authorization_code", scope: "openid", refresh_token: "r", accessToken: "a", client_secret: "s", password: "p",
        code: "x", otp: "1", assertion: "j", cookie: "k", privateKey: "q", note: "n".repeat(500), missing: undefined
      }
    })
    expect(Object.keys(event.details).sort()).toEqual(["grant", "note", "scope"])
    expect((event.details["note"] as string).length).toBe(200)
  })
})
