/**
 * Identity's audit events (issue 11 §2) with a collecting `AuditTrail`: each
 * event type on success and failure, one `record` per call, and never a
 * password, code, link token, client secret or TOTP value in an event.
 */
import type { AuditEvent, SecurityEventType } from "@authrim/contracts"
import { CurrentRequest } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { upsertClient } from "../src/clients/clients.ts"
import { confirmEmailChange, requestEmailChange } from "../src/email/email_change.ts"
import { redeemMagicLink, requestMagicLink } from "../src/email/magic_link.ts"
import { notifySecurityChange } from "../src/email/security_notification.ts"
import { verifySecondFactor } from "../src/mfa/second_factor.ts"
import { beginTotpEnrolment, confirmTotpEnrolment } from "../src/mfa/totp_enrolment.ts"
import { finishPasskeyAuthentication } from "../src/passkeys/passkey_authentication.ts"
import { relyingPartyLayer } from "../src/passkeys/passkey_relying_party.ts"
import { requestPasswordReset } from "../src/passwords/password_reset.ts"
import { finishUpstreamSignIn } from "../src/upstream/finish_upstream_sign_in.ts"
import { grantConsent } from "../src/users/consents.ts"
import { authenticatePassword, upsertUser } from "../src/users/users.ts"
import { makeEmailHarness } from "./email_harness.ts"
import { makeHarness, unique } from "./identity_harness.ts"
import { makeMfaHarness } from "./mfa_harness.ts"
import { makeUpstreamHarness } from "./upstream_harness.ts"

const PASSWORD = "correct horse battery staple 1"

/** No secret-looking value anywhere in `events`. */
const expectNoSecrets = (events: ReadonlyArray<AuditEvent>, secrets: ReadonlyArray<string>) => {
  const text = JSON.stringify(events)
  for (const secret of secrets) expect(text).not.toContain(secret)
}

/** The one event of the last `record` call (and that it was one message of one event). */
const only = (batches: ReadonlyArray<ReadonlyArray<AuditEvent>>) => {
  expect(batches).toHaveLength(1)
  expect(batches[0]).toHaveLength(1)
  return batches[0]![0]!
}

describe("sign_in.* — password", () => {
  it("success: method password, amr pwd, the user as actor and subject", async () => {
    const h = makeHarness()
    const email = `${unique("pw")}@example.com`
    const user = await h.run(upsertUser({ email, password: PASSWORD, name: null, emailVerified: true }))
    h.audit.clear()
    await h.run(authenticatePassword({ email, password: PASSWORD }))
    expect(only(h.audit.batches)).toMatchObject({
      type: "sign_in.succeeded", outcome: "success", actor: { kind: "user", id: user.id }, userId: user.id,
      subject: { kind: "user", id: user.id }, details: { method: "password", amr: "pwd", second_factor_required: false }
    })
    expectNoSecrets(h.audit.events(), [PASSWORD])
  })

  it("failure: the reason (wrong_password / unknown_user / no_password) and the address tried — never the password", async () => {
    const h = makeHarness()
    const email = `${unique("pw")}@example.com`
    const user = await h.run(upsertUser({ email, password: PASSWORD, name: null, emailVerified: true }))
    const passwordless = `${unique("nopw")}@example.com`
    await h.run(upsertUser({ email: passwordless, password: null, name: null, emailVerified: true }))
    const nobody = `${unique("nobody")}@example.com`
    const cases = [
      { email, password: "wrong password 12345", reason: "wrong_password", userId: user.id },
      { email: nobody, password: "guess password 12345", reason: "unknown_user", userId: null },
      { email: passwordless, password: "any password 123456", reason: "no_password" }
    ]
    for (const c of cases) {
      h.audit.clear()
      expect(await h.fail(authenticatePassword({ email: c.email, password: c.password }))).toMatchObject({ _tag: "InvalidCredentials" })
      const event = only(h.audit.batches)
      expect(event).toMatchObject({ type: "sign_in.failed", outcome: "failure", details: { method: "password", reason: c.reason, email: c.email } })
      if (c.userId !== undefined) expect(event.userId).toBe(c.userId)
      expectNoSecrets([event], [c.password])
    }
  })
})

describe("sign_in.* — magic link, passkey, upstream", () => {
  const binding = () => `binding-${crypto.randomUUID()}-${crypto.randomUUID()}`

  it("magic link: success (amr email) and failures (wrong_browser, not_found), never the link token", async () => {
    const h = makeEmailHarness()
    const email = `${unique("magic")}@example.com`
    const user = await h.run(upsertUser({ email, password: null, name: null, emailVerified: true }))
    const browser = binding()
    await h.run(requestMagicLink({ email, txId: "tx-1", browserBinding: browser, verifyUrl: "https://op.test/login/email/verify" }))
    const token = await h.latestToken(email)
    h.audit.clear()
    await h.fail(redeemMagicLink({ token, browserBinding: binding() }))
    expect(only(h.audit.batches)).toMatchObject({ type: "sign_in.failed", outcome: "failure", details: { method: "magic_link", reason: "wrong_browser" } })
    h.audit.clear()
    await h.run(redeemMagicLink({ token, browserBinding: browser }))
    expect(only(h.audit.batches)).toMatchObject({ type: "sign_in.succeeded", userId: user.id, details: { method: "magic_link", amr: "email" } })
    h.audit.clear()
    await h.fail(redeemMagicLink({ token, browserBinding: browser }))
    expect(only(h.audit.batches)).toMatchObject({ type: "sign_in.failed", details: { method: "magic_link", reason: "not_found" } })
    expectNoSecrets(h.audit.events(), [token, ...token.split("."), browser])
  })

  it("passkey: a gone challenge is sign_in.failed with the rejection reason", async () => {
    const h = makeHarness()
    const response = {
      id: "cred", rawId: "cred", type: "public-key" as const,
      response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA", userHandle: null }
    }
    const failure = await h.fail(Effect.provide(finishPasskeyAuthentication({ challengeId: "gone", response }), relyingPartyLayer(env)))
    expect(failure).toMatchObject({ _tag: "PasskeyRejected", reason: "challenge" })
    expect(only(h.audit.batches)).toMatchObject({ type: "sign_in.failed", outcome: "failure", userId: null, details: { method: "passkey", reason: "challenge" } })
  })

  it("upstream: a bad state is sign_in.failed with the OAuth error code (never the upstream code)", async () => {
    const h = makeUpstreamHarness()
    const input = { state: "no-such-state", code: "upstream-code-xyz", error: null, errorDescription: null, browserBinding: binding() }
    expect(await h.fail(finishUpstreamSignIn(input))).toMatchObject({ _tag: "OAuthError", code: "invalid_request" })
    expect(only(h.audit.batches)).toMatchObject({ type: "sign_in.failed", details: { method: "upstream", reason: "invalid_request" } })
    expectNoSecrets(h.audit.events(), [input.code, input.state])
  })
})

describe("second_factor.* — TOTP and recovery codes", () => {
  it("success and failure of each method, with a reason, never the code typed", async () => {
    const h = makeMfaHarness()
    const user = await h.newUser()
    h.audit.clear()
    await h.fail(verifySecondFactor({ userId: user.id, code: "123456" }))
    expect(only(h.audit.batches)).toMatchObject({ type: "second_factor.failed", outcome: "failure", details: { method: "totp", reason: "not_enrolled" } })

    const { secret } = await h.run(beginTotpEnrolment({ userId: user.id, issuer: "Authrim" }))
    const { recoveryCodes } = await h.run(confirmTotpEnrolment({ userId: user.id, code: await h.codeAt(secret) }))
    h.clock.now += 30_000
    const code = await h.codeAt(secret)
    h.audit.clear()
    await h.run(verifySecondFactor({ userId: user.id, code }))
    expect(only(h.audit.batches)).toMatchObject({ type: "second_factor.succeeded", outcome: "success", userId: user.id, details: { method: "totp" } })
    h.audit.clear()
    await h.fail(verifySecondFactor({ userId: user.id, code }))
    expect(only(h.audit.batches)).toMatchObject({ type: "second_factor.failed", details: { method: "totp", reason: "replayed" } })

    h.audit.clear()
    await h.run(verifySecondFactor({ userId: user.id, code: recoveryCodes[0]! }))
    expect(only(h.audit.batches)).toMatchObject({ type: "second_factor.succeeded", details: { method: "recovery_code", recovery_left: 9 } })
    h.audit.clear()
    await h.fail(verifySecondFactor({ userId: user.id, code: recoveryCodes[0]! }))
    expect(only(h.audit.batches)).toMatchObject({ type: "second_factor.failed", details: { method: "recovery_code", reason: "no_match" } })
    expectNoSecrets(h.audit.events(), [code, secret, ...recoveryCodes])
  })
})

describe("consent, password reset, account-security changes", () => {
  it("consent.granted names the client and the scopes of the call", async () => {
    const h = makeHarness()
    const { id: userId } = await h.run(upsertUser({ email: `${unique("consent")}@example.com`, password: null, name: null, emailVerified: true }))
    const clientId = unique("consent-client")
    await h.run(upsertClient({ clientId, redirectUris: ["https://rp.example/cb"] }))
    h.audit.clear()
    await h.run(grantConsent({ userId, clientId, scopes: ["openid", "email"] }))
    expect(only(h.audit.batches)).toMatchObject({
      type: "consent.granted", actor: { kind: "user", id: userId }, userId, clientId, details: { scope: "openid email" }
    })
  })

  it("password.reset_requested for a known address only; never the reset token", async () => {
    const h = makeEmailHarness()
    const email = `${unique("reset")}@example.com`
    const user = await h.run(upsertUser({ email, password: PASSWORD, name: null, emailVerified: true }))
    h.audit.clear()
    await h.run(requestPasswordReset({ email: `${unique("nobody")}@example.com`, resetUrl: "https://op.test/password/reset" }))
    expect(h.audit.batches).toHaveLength(0)
    await h.run(requestPasswordReset({ email, resetUrl: "https://op.test/password/reset" }))
    expect(only(h.audit.batches)).toMatchObject({ type: "password.reset_requested", userId: user.id, details: {} })
    expectNoSecrets(h.audit.events(), [await h.latestToken(email)])
  })

  it("each notified change is its audit type, once, with the session and the IP", async () => {
    const h = makeEmailHarness()
    const user = await h.run(upsertUser({ email: `${unique("sec")}@example.com`, password: PASSWORD, name: null, emailVerified: true }))
    const expected: Record<Exclude<SecurityEventType, "email_change_requested" | "email_changed">, string> = {
      passkey_added: "passkey.added",
      passkey_removed: "passkey.removed",
      totp_enabled: "totp.enrolled",
      totp_disabled: "totp.removed",
      recovery_codes_regenerated: "recovery_codes.regenerated",
      password_changed: "password.changed",
      password_reset: "password.reset_completed"
    }
    for (const [event, type] of Object.entries(expected)) {
      h.audit.clear()
      await h.run(notifySecurityChange({ userId: user.id, event: event as SecurityEventType, origin: { sessionId: "s01_x", ipAddress: "198.51.100.4" } }))
      expect(only(h.audit.batches)).toMatchObject({ type, userId: user.id, ip: "198.51.100.4", outcome: "success", details: { session: "s01_x" } })
    }
    // An unknown user: NotFound and nothing recorded.
    h.audit.clear()
    await h.fail(notifySecurityChange({ userId: unique("ghost"), event: "password_changed", origin: { sessionId: null, ipAddress: null } }))
    expect(h.audit.batches).toHaveLength(0)
  })

  it("email.change_requested and email.changed, never the link token", async () => {
    const h = makeEmailHarness()
    const user = await h.run(upsertUser({ email: `${unique("old")}@example.com`, password: PASSWORD, name: null, emailVerified: true }))
    const newEmail = `${unique("new")}@example.com`
    const origin = { sessionId: "s01_e", ipAddress: null }
    h.audit.clear()
    await h.run(requestEmailChange({ userId: user.id, newEmail, verifyUrl: "https://op.test/account/email/verify", origin }))
    expect(only(h.audit.batches)).toMatchObject({ type: "email.change_requested", userId: user.id })
    const token = await h.latestToken(newEmail)
    h.audit.clear()
    await h.run(confirmEmailChange({ token, origin }))
    expect(only(h.audit.batches)).toMatchObject({ type: "email.changed", userId: user.id, details: { session: "s01_e" } })
    expectNoSecrets(h.audit.events(), [token])
  })
})

describe("client.* — writes by the system (no request) or an admin (through the edge)", () => {
  it("created, updated, secret_rotated: one event per upsert, never the secret or its hash", async () => {
    const h = makeHarness()
    const clientId = unique("aud-client")
    const secret = "s".repeat(20) + crypto.randomUUID()
    const base = { clientId, clientSecret: secret, redirectUris: ["https://rp.example/cb"] }
    await h.run(upsertClient(base))
    expect(only(h.audit.batches)).toMatchObject({
      type: "client.created", actor: { kind: "system", id: null }, clientId, subject: { kind: "client", id: clientId },
      details: { auth_method: "client_secret_basic", generated: false }
    })
    h.audit.clear()
    await h.run(upsertClient({ ...base, clientName: "Renamed" }))
    expect(only(h.audit.batches)).toMatchObject({ type: "client.updated", clientId })
    h.audit.clear()
    // Through the edge (a request is being served): the actor is an admin; no secret sent → a generated one.
    const viaEdge = upsertClient({ ...base, clientSecret: null, tokenEndpointAuthMethod: "client_secret_basic" }).pipe(
      Effect.provideService(CurrentRequest, { requestId: "req-admin-1", ip: "192.0.2.1", userAgent: "admin-ui" })
    )
    const rotated = await h.run(viaEdge)
    expect(only(h.audit.batches)).toMatchObject({ type: "client.secret_rotated", actor: { kind: "admin", id: null }, details: { generated: true } })
    const row = await env.DB.prepare("SELECT client_secret_hash FROM oauth_clients WHERE client_id = ?").bind(clientId).first<{ client_secret_hash: string }>()
    expectNoSecrets(h.audit.events(), [secret, rotated.generatedClientSecret!, row!.client_secret_hash])
  })
})
