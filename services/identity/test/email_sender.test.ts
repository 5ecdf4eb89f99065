import { EmailLoginContract, makeClient, Misconfigured, NotFound, Unavailable, type EmailLoginRpc } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { exports } from "cloudflare:workers"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { emailSender, type EmailSender, httpSenderLayer } from "../src/email/email_sender.ts"
import { readOutbox } from "../src/email/email_outbox.ts"
import { emailSenderLayer, emailTransportName } from "../src/email/email_transport.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const message = { to: "someone@example.com", subject: "Hello", text: "Body", html: "<p>Body</p>" }
const send = (layer: Layer.Layer<EmailSender>) =>
  Effect.runPromise(Effect.result(Effect.provide(Effect.gen(function*() {
    const sender = yield* emailSender
    yield* sender.send(message)
  }), layer)))

describe("EmailSender — HTTP email API transport", () => {
  it("POSTs the message as JSON with the bearer key", async () => {
    const seen: Request[] = []
    const layer = httpSenderLayer({
      url: "https://mail.example/send", apiKey: "key-123", from: "Authrim <no-reply@op.test>",
      fetch: async (request) => { seen.push(request); return new Response("{}", { status: 202 }) }
    })
    expect((await send(layer))._tag).toBe("Success")
    expect(seen).toHaveLength(1)
    expect(seen[0]!.url).toBe("https://mail.example/send")
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer key-123")
    expect(await seen[0]!.json()).toEqual({ from: "Authrim <no-reply@op.test>", ...message })
  })

  it("a provider error is Unavailable (the request fails instead of pretending the mail went out)", async () => {
    const layer = httpSenderLayer({ url: "https://mail.example/send", apiKey: "k", from: "f@op.test", fetch: async () => new Response("no", { status: 500 }) })
    const outcome = await send(layer)
    expect(outcome._tag === "Failure" && outcome.failure).toBeInstanceOf(Unavailable)
  })
})

describe("EmailSender — transport selection (EMAIL_TRANSPORT, AUTHRIM_ENV)", () => {
  const transportOf = (vars: Partial<typeof env>) => Effect.runSync(Effect.result(emailTransportName({ ...env, ...vars })))

  it("no default: unset or unknown is a configuration error, never silently the outbox", () => {
    expect(transportOf({ EMAIL_TRANSPORT: undefined })).toMatchObject({ _tag: "Failure", failure: { _tag: "Misconfigured", setting: "EMAIL_TRANSPORT", reason: "is not set" } })
    expect(transportOf({ EMAIL_TRANSPORT: "smtp" })).toMatchObject({ _tag: "Failure", failure: { _tag: "Misconfigured", setting: "EMAIL_TRANSPORT" } })
    expect(transportOf({ EMAIL_TRANSPORT: "outbox" })).toMatchObject({ _tag: "Success", success: "outbox" })
  })

  it("production refuses the outbox (it keeps live sign-in and reset links readable), whatever else is set", () => {
    for (const AUTHRIM_ENV of ["production", undefined, "Development", "dev", ""]) {
      expect(transportOf({ AUTHRIM_ENV, EMAIL_TRANSPORT: "outbox" })).toMatchObject({
        _tag: "Failure", failure: { _tag: "Misconfigured", setting: "EMAIL_TRANSPORT", reason: "is outbox, which production refuses" }
      })
    }
    expect(transportOf({ AUTHRIM_ENV: "production", EMAIL_TRANSPORT: "http" })).toMatchObject({ _tag: "Success", success: "http" })
  })

  it("a real transport with a setting missing fails before any send, naming the setting", async () => {
    const cases = [
      [{ EMAIL_TRANSPORT: "http", EMAIL_FROM: undefined, EMAIL_HTTP_URL: "https://mail.example", EMAIL_HTTP_API_KEY: "k" }, "EMAIL_FROM"],
      [{ EMAIL_TRANSPORT: "http", EMAIL_FROM: "a@op.test", EMAIL_HTTP_API_KEY: "k" }, "EMAIL_HTTP_URL"],
      [{ EMAIL_TRANSPORT: "http", EMAIL_FROM: "a@op.test", EMAIL_HTTP_URL: "https://mail.example" }, "EMAIL_HTTP_API_KEY"],
      [{ EMAIL_TRANSPORT: "send_email", EMAIL_FROM: "a@op.test" }, "SEND_EMAIL"],
      [{ EMAIL_TRANSPORT: "smtp" }, "EMAIL_TRANSPORT"]
    ] as const
    for (const [config, setting] of cases) {
      const outcome = await send(emailSenderLayer({ ...env, ...config }))
      expect(outcome._tag === "Failure" && outcome.failure).toBeInstanceOf(Misconfigured)
      expect(outcome).toMatchObject({ failure: { setting } })
    }
  })

  it("the outbox is unreadable when another transport is configured", async () => {
    const h = makeHarness()
    const layer = emailSenderLayer({ ...env, EMAIL_TRANSPORT: "http", EMAIL_HTTP_URL: "https://mail.example", EMAIL_HTTP_API_KEY: "k" })
    expect(await h.fail(Effect.provide(readOutbox({ to: null }), layer))).toBeInstanceOf(NotFound)
  })
})

describe("Dev outbox over RPC (IdentityForEdge.readOutbox)", () => {
  const stub = exports.IdentityForEdge
  const binding = {
    requestMagicLink: (i) => stub.requestMagicLink(i),
    redeemMagicLink: (i) => stub.redeemMagicLink(i),
    requestPasswordReset: (i) => stub.requestPasswordReset(i),
    resetPassword: (i) => stub.resetPassword(i),
    changePassword: (i) => stub.changePassword(i),
    readOutbox: (i) => stub.readOutbox(i),
    checkEmailDelivery: (i) => stub.checkEmailDelivery(i)
  } satisfies EmailLoginRpc
  const client = makeClient("identity", EmailLoginContract, binding)

  it("checkEmailDelivery succeeds while development uses the outbox", async () => {
    expect(await Effect.runPromise(client.checkEmailDelivery({}))).toEqual({})
  })

  it("lists the newest messages for an address, newest first", async () => {
    const email = `${unique("outbox")}@example.com`
    await exports.IdentitySeed.upsertUser({ email, password: "pw-outbox-1", name: null, emailVerified: true })
    await Effect.runPromise(client.requestPasswordReset({ email, resetUrl: "https://op.test/password/reset" }))
    await Effect.runPromise(client.requestPasswordReset({ email, resetUrl: "https://op.test/password/reset" }))
    const { messages } = await Effect.runPromise(client.readOutbox({ to: email.toUpperCase() }))
    expect(messages).toHaveLength(2)
    expect(messages.every((m) => m.to === email && m.subject === "Reset your password")).toBe(true)
    expect(messages[0]!.createdAt).toBeGreaterThanOrEqual(messages[1]!.createdAt)
    expect((await Effect.runPromise(client.readOutbox({ to: email, limit: 1 }))).messages).toEqual([messages[0]])
  })
})
