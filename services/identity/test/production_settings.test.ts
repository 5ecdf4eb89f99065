/**
 * Issue 9 §1 in the identity service: production (AUTHRIM_ENV unset or
 * `production`) has no development fallback — no TOTP key in the source, no
 * outbox, no localhost relying party — and the development outbox keeps
 * nothing older than 24 h. The entrypoint is built with an env copy, so each
 * answer is exactly what the edge would receive over RPC.
 */
import { createExecutionContext, env } from "cloudflare:test"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { IdentityForEdge, IdentitySeed } from "../src/index.ts"
import { emailSender, outboxSenderLayer, OUTBOX_RETENTION_MS } from "../src/email/email_sender.ts"
import { readOutbox } from "../src/email/email_outbox.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const serviceWith = (vars: Record<string, string | undefined>) => new IdentityForEdge(createExecutionContext(), { ...env, ...vars })
/** Seeds users the way `npm run seed` does (the edge's entrypoint has no upserts). */
const seed = () => new IdentitySeed(createExecutionContext(), env)

/** A complete production configuration (a real transport), to which each test removes or changes one setting. */
const production = {
  AUTHRIM_ENV: "production",
  EMAIL_TRANSPORT: "http",
  EMAIL_FROM: "Authrim <no-reply@op.test>",
  EMAIL_HTTP_URL: "https://mail.invalid/send",
  EMAIL_HTTP_API_KEY: "k",
  WEBAUTHN_RP_ID: "op.test",
  WEBAUTHN_RP_NAME: "Authrim",
  WEBAUTHN_ORIGINS: "https://op.test"
}

describe("Production settings — identity (issue 9 §1)", () => {
  it("TOTP without MFA_ENCRYPTION_KEY is a configuration error, in production and development alike (no key in the source)", async () => {
    const user = await seed().upsertUser({ email: `${unique("mfa")}@example.test`, password: "pw-production-1", name: null, emailVerified: true })
    if (user._tag !== "Success") throw new Error("seeding failed")
    for (const AUTHRIM_ENV of ["production", "development"]) {
      const service = serviceWith({ ...production, AUTHRIM_ENV, MFA_ENCRYPTION_KEY: undefined })
      expect(await service.beginTotpEnrolment({ userId: user.value.id, issuer: "Authrim" })).toMatchObject({
        _tag: "Failure", error: { _tag: "Misconfigured", service: "identity", setting: "MFA_ENCRYPTION_KEY" }
      })
      expect(await service.verifySecondFactor({ userId: user.value.id, code: "123456" })).toMatchObject({
        _tag: "Failure", error: { _tag: "Misconfigured", setting: "MFA_ENCRYPTION_KEY" }
      })
    }
    // With the key the same enrolment starts.
    const configured = await serviceWith({ ...production, MFA_ENCRYPTION_KEY: "k".repeat(43) }).beginTotpEnrolment({ userId: user.value.id, issuer: "Authrim" })
    expect(configured._tag).toBe("Success")
  })

  it("the outbox transport is refused in production: a reset request is a configuration error, nothing is stored", async () => {
    const email = `${unique("outbox")}@example.test`
    await seed().upsertUser({ email, password: "pw-production-1", name: null, emailVerified: true })
    for (const vars of [{ AUTHRIM_ENV: "production" }, { AUTHRIM_ENV: undefined }, { AUTHRIM_ENV: "staging" }]) {
      const service = serviceWith({ ...production, ...vars, EMAIL_TRANSPORT: "outbox" })
      expect(await service.requestPasswordReset({ email, resetUrl: "https://op.test/password/reset" })).toMatchObject({
        _tag: "Failure", error: { _tag: "Misconfigured", setting: "EMAIL_TRANSPORT", reason: "is outbox, which production refuses" }
      })
      expect(await service.readOutbox({ to: email })).toMatchObject({ _tag: "Failure", error: { _tag: "Misconfigured", setting: "EMAIL_TRANSPORT" } })
      expect(await service.checkEmailDelivery({})).toMatchObject({ _tag: "Failure", error: { _tag: "Misconfigured", setting: "EMAIL_TRANSPORT" } })
    }
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM email_outbox WHERE to_address = ?").bind(email).first<{ n: number }>()
    expect(stored?.n).toBe(0)
    // A complete production transport passes the check; a missing piece of it is named.
    expect(await serviceWith(production).checkEmailDelivery({})).toMatchObject({ _tag: "Success" })
    expect(await serviceWith({ ...production, EMAIL_FROM: undefined }).checkEmailDelivery({})).toMatchObject({
      _tag: "Failure", error: { _tag: "Misconfigured", setting: "EMAIL_FROM" }
    })
  })

  it("an unset EMAIL_TRANSPORT is a configuration error (no silent outbox), for known and unknown addresses alike", async () => {
    const service = serviceWith({ ...production, EMAIL_TRANSPORT: undefined })
    const known = `${unique("known")}@example.test`
    await seed().upsertUser({ email: known, password: "pw-production-1", name: null, emailVerified: true })
    for (const email of [known, `${unique("nobody")}@example.test`]) {
      expect(await service.requestMagicLink({ email, txId: "tx", browserBinding: "b".repeat(43), verifyUrl: "https://op.test/login/email/verify" })).toMatchObject({
        _tag: "Failure", error: { _tag: "Misconfigured", setting: "EMAIL_TRANSPORT", reason: "is not set" }
      })
    }
  })

  it("passkeys without the WebAuthn settings are a configuration error, not the localhost relying party", async () => {
    const user = await seed().upsertUser({ email: `${unique("rp")}@example.test`, password: "pw-production-1", name: null, emailVerified: true })
    if (user._tag !== "Success") throw new Error("seeding failed")
    const service = serviceWith({ ...production, WEBAUTHN_RP_ID: undefined, WEBAUTHN_RP_NAME: undefined, WEBAUTHN_ORIGINS: undefined })
    expect(await service.startPasskeyRegistration({ userId: user.value.id })).toMatchObject({
      _tag: "Failure", error: { _tag: "Misconfigured", setting: "WEBAUTHN_RP_ID" }
    })
    expect(await service.startPasskeyAuthentication({ email: null })).toMatchObject({
      _tag: "Failure", error: { _tag: "Misconfigured", setting: "WEBAUTHN_RP_ID" }
    })
  })
})

describe("Development outbox retention (issue 9 §1: rows older than 24 h are purged)", () => {
  const insert = (to: string, createdAt: number) =>
    env.DB.prepare("INSERT INTO email_outbox (id, to_address, subject, text_body, html_body, created_at) VALUES (?, ?, 's', 't', NULL, ?)")
      .bind(crypto.randomUUID(), to, createdAt).run()
  const count = async (to: string) =>
    (await env.DB.prepare("SELECT COUNT(*) AS n FROM email_outbox WHERE to_address = ?").bind(to).first<{ n: number }>())?.n

  it("every outbox write deletes the messages older than 24 h and keeps the younger ones", async () => {
    const old = `${unique("old")}@example.test`
    const young = `${unique("young")}@example.test`
    const now = Date.now()
    await insert(old, now - OUTBOX_RETENTION_MS - 60_000)
    await insert(young, now - OUTBOX_RETENTION_MS + 60 * 60_000)
    await Effect.runPromise(Effect.provide(Effect.gen(function*() {
      const sender = yield* emailSender
      yield* sender.send({ to: `${unique("new")}@example.test`, subject: "Hi", text: "Body", html: null })
    }), outboxSenderLayer(env.DB)))
    expect(await count(old)).toBe(0)
    expect(await count(young)).toBe(1)
  })

  it("reading the outbox never shows (and purges) a message older than 24 h, even when nothing was sent since", async () => {
    const old = `${unique("stale")}@example.test`
    await insert(old, Date.now() - OUTBOX_RETENTION_MS - 1)
    const h = makeHarness()
    const { messages } = await h.run(Effect.provide(readOutbox({ to: old }), outboxSenderLayer(env.DB)))
    expect(messages).toEqual([])
    expect(await count(old)).toBe(0)
  })
})
