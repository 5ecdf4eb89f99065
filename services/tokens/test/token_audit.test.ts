/**
 * The tokens service's audit events (issue 11 §2): each domain function records
 * its fact through `AuditTrail` — one `record` call (one queue message) per
 * call at most — with the client as actor, and never a token or code in it.
 * The trail here is the test one that keeps what it is given.
 */
import { Effect } from "effect"
import { AuditRefreshEvents } from "../src/token_audit.ts"
import { beforeEach, describe, expect, it } from "vitest"
import type { AuditEvent } from "@authrim/contracts"
import { decideDeviceCode, pollDeviceCode, startDeviceAuthorization } from "../src/device/device_grant.ts"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { clientCredentials } from "../src/grants/client_credentials.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { revokeAllForUser, revokeFamiliesForSession } from "../src/family_index/revoke_user_families.ts"
import { revokeToken } from "../src/revoke_token.ts"
import { decision, pollInput, runDevice } from "./device_fixtures.ts"
import { audit, codeOf, exchangeInput, failureOf, grantInput, issuer, ManualClock, refreshInput, run, signIn } from "./token_fixtures.ts"

/** Nothing that looks like one of the strings handed out may appear anywhere in the recorded events. */
const expectNoSecrets = (events: ReadonlyArray<AuditEvent>, secrets: ReadonlyArray<string | undefined>) => {
  const text = JSON.stringify(events)
  for (const secret of secrets) if (secret !== undefined) expect(text).not.toContain(secret)
}

beforeEach(() => audit.clear())

describe("tokens audit events", () => {
  it("authorization_code: token.issued once, by the client, for the user, with grant, scope and DPoP binding", async () => {
    const clock = new ManualClock()
    const { code } = await run(createAuthorizationCode(grantInput()), clock)
    expect(audit.batches).toEqual([]) // minting a code is not an issuance
    const set = await run(exchangeAuthorizationCode(exchangeInput(code)), clock)
    expect(audit.batches).toHaveLength(1)
    expect(audit.events()).toEqual([expect.objectContaining({
      type: "token.issued", outcome: "success", actor: { kind: "client", id: "client-a" }, clientId: "client-a", userId: "user-1",
      subject: { kind: "user", id: "user-1" },
      details: { grant: "authorization_code", scope: "openid profile email offline_access", dpop: "no", refresh: true }
    })])
    expectNoSecrets(audit.events(), [code, set.access_token, set.refresh_token, set.id_token])
  })

  it("a replayed code: code.replayed (failure), and no token.issued for the refused redemption", async () => {
    const clock = new ManualClock()
    const { code } = await run(createAuthorizationCode(grantInput()), clock)
    await run(exchangeAuthorizationCode(exchangeInput(code)), clock)
    audit.clear()
    expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(code)), clock))).toBe("invalid_grant")
    expect(audit.batches).toHaveLength(1)
    expect(audit.events()).toEqual([expect.objectContaining({
      type: "code.replayed", outcome: "failure", actor: { kind: "client", id: "client-a" }, clientId: "client-a",
      details: { access_revoked: 1, family_revoked: true }
    })])
    expectNoSecrets(audit.events(), [code])
  })

  it("client_credentials: token.issued with the client as actor and subject, DPoP-bound when a proof key is given", async () => {
    await run(clientCredentials({ issuer, clientId: "machine", scope: "api:read", dpopJkt: "jkt-thumbprint-1234567890123456789012345678" }))
    expect(audit.events()).toEqual([expect.objectContaining({
      type: "token.issued", actor: { kind: "client", id: "machine" }, userId: null, subject: { kind: "client", id: "machine" },
      details: { grant: "client_credentials", scope: "api:read", dpop: "yes", refresh: false }
    })])
  })

  it("device_code: token.issued on the granting poll only", async () => {
    const clock = new ManualClock()
    const auth = await runDevice(startDeviceAuthorization({ clientId: "tv-client", scope: "openid offline_access" }), clock)
    await runDevice(decideDeviceCode(decision(auth.userCode, "approve")), clock)
    clock.advance(5_000)
    const tokens = await runDevice(pollDeviceCode(pollInput(auth.deviceCode)), clock)
    expect(audit.events()).toEqual([expect.objectContaining({
      type: "token.issued", actor: { kind: "client", id: "tv-client" }, userId: "user-1",
      details: { grant: "device_code", scope: "openid offline_access", dpop: "no", refresh: true }
    })])
    expectNoSecrets(audit.events(), [auth.deviceCode, auth.userCode, tokens.access_token, tokens.refresh_token])
  })

  it("refresh: no event for a routine rotation unless AUDIT_REFRESH_EVENTS=all", async () => {
    const clock = new ManualClock()
    const first = await signIn(clock)
    audit.clear()
    await run(refreshTokens(refreshInput(first.refresh_token ?? "")), clock)
    expect(audit.batches).toHaveLength(0)
  })

  it("refresh (AUDIT_REFRESH_EVENTS=all): token.refreshed per rotation; a rotated-out token again: refresh.reuse_detected (failure, family revoked)", async () => {
    const clock = new ManualClock()
    const first = await signIn(clock)
    audit.clear()
    const rotated = await run(refreshTokens(refreshInput(first.refresh_token ?? "")).pipe(Effect.provideService(AuditRefreshEvents, true)), clock)
    expect(audit.events()).toEqual([expect.objectContaining({
      type: "token.refreshed", outcome: "success", actor: { kind: "client", id: "client-a" }, userId: "user-1",
      subject: expect.objectContaining({ kind: "refresh_family" }),
      details: { grant: "refresh_token", scope: "openid profile email offline_access", dpop: "no" }
    })])
    const family = audit.events()[0]!.subject!.id
    audit.clear()
    // After the reuse grace window (issue 14): reuse, not a replay.
    clock.advance(10_000)
    expect(codeOf(await failureOf(refreshTokens(refreshInput(first.refresh_token ?? "")), clock))).toBe("invalid_grant")
    expect(audit.batches).toHaveLength(1)
    expect(audit.events()).toEqual([expect.objectContaining({
      type: "refresh.reuse_detected", outcome: "failure", actor: { kind: "client", id: "client-a" },
      subject: { kind: "refresh_family", id: family }, details: { family_revoked: true, access_revoked: 2 }
    })])
    expectNoSecrets(audit.events(), [first.refresh_token, rotated.refresh_token, rotated.access_token])
  })

  it("revocation: token.revoked by the client, for a refresh family and for an access token", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    audit.clear()
    await run(revokeToken({ token: set.access_token, tokenTypeHint: null, clientId: "client-a" }), clock)
    await run(revokeToken({ token: set.refresh_token ?? "", tokenTypeHint: null, clientId: "client-a" }), clock)
    expect(audit.batches).toHaveLength(2)
    expect(audit.events()).toEqual([
      expect.objectContaining({ type: "token.revoked", actor: { kind: "client", id: "client-a" }, userId: "user-1", subject: expect.objectContaining({ kind: "access_jti" }), details: { kind: "access", by: "client", reason: "revoked_by_client" } }),
      expect.objectContaining({ type: "token.revoked", actor: { kind: "client", id: "client-a" }, subject: expect.objectContaining({ kind: "refresh_family" }), details: { kind: "refresh", by: "client", reason: "revoked_by_client" } })
    ])
    expectNoSecrets(audit.events(), [set.access_token, set.refresh_token])
  })

  it("a session's end: token.revoked (by the system, reason session_ended) for each online family, one message; offline families only detach", async () => {
    const clock = new ManualClock()
    const userId = `audit-${crypto.randomUUID()}`
    const sessionExpiresAt = clock.nowMs + 3_600_000
    const online = async () => {
      const { code } = await run(createAuthorizationCode(grantInput({ userId, sid: "s-end", sessionExpiresAt, scope: "openid" })), clock)
      return run(exchangeAuthorizationCode(exchangeInput(code, { onlineRefreshTokens: true })), clock)
    }
    await online()
    await online()
    await signIn(clock, { userId, sid: "s-end", sessionExpiresAt, scope: "openid offline_access" })
    audit.clear()
    expect(await run(revokeFamiliesForSession({ userId, sid: "s-end" }), clock)).toEqual({ revoked: 2, detached: 1 })
    expect(audit.batches).toHaveLength(1)
    expect(audit.events()).toEqual([1, 2].map(() => expect.objectContaining({
      type: "token.revoked", actor: { kind: "system", id: null }, userId, clientId: "client-a",
      subject: expect.objectContaining({ kind: "refresh_family" }), details: { kind: "refresh", by: "system", reason: "session_ended" }
    })))
    audit.clear()
    expect(await run(revokeFamiliesForSession({ userId, sid: "s-end" }), clock)).toEqual({ revoked: 0, detached: 0 })
    expect(audit.batches).toEqual([]) // the idempotent repeat ended nothing
  })

  it("revoke all for a user: token.revoked per family with the caller's reason, one message", async () => {
    const clock = new ManualClock()
    const userId = `audit-${crypto.randomUUID()}`
    await signIn(clock, { userId })
    await signIn(clock, { userId, clientId: "client-b" })
    audit.clear()
    expect(await run(revokeAllForUser({ userId, reason: "password_reset" }), clock)).toEqual({ revoked: 2 })
    expect(audit.batches).toHaveLength(1)
    expect(audit.events().map((e) => [e.type, e.actor.kind, e.userId, e.clientId, e.details["reason"]]).sort()).toEqual([
      ["token.revoked", "system", userId, "client-a", "password_reset"],
      ["token.revoked", "system", userId, "client-b", "password_reset"]
    ])
  })

  it("another client's access token revokes nothing and records nothing", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    audit.clear()
    await run(revokeToken({ token: set.access_token, tokenTypeHint: null, clientId: "client-b" }), clock)
    expect(audit.batches).toEqual([])
  })
})
