/**
 * Picks the `EmailSender` layer from the worker's configuration:
 *
 * | var | meaning | default |
 * |---|---|---|
 * | `EMAIL_TRANSPORT` | `outbox` \| `send_email` \| `http` | `outbox` (local development) |
 * | `EMAIL_FROM` | sender address of every message | `Authrim <no-reply@authrim.local>` |
 * | `SEND_EMAIL` | `send_email` binding (transport `send_email`) | — |
 * | `EMAIL_HTTP_URL`, `EMAIL_HTTP_API_KEY` (secret) | the HTTP API (transport `http`) | — |
 *
 * A production deployment MUST set `EMAIL_TRANSPORT`: the outbox keeps live
 * sign-in links readable through `readOutbox`. A transport whose settings are
 * missing fails every send with `Unavailable` (visible, not silent).
 */
import { Unavailable } from "@authrim/contracts"
import { Effect, Layer } from "effect"
import { EmailSender, httpSenderLayer, outboxSenderLayer, sendEmailBindingLayer, type EmailTransportName } from "./email_sender.ts"
import type { ServiceEnv } from "./env.ts"
import { serviceName } from "./identity_bindings.ts"

const DEFAULT_FROM = "Authrim <no-reply@authrim.local>"

/** The configured transport's name: `outbox` when unset, null for an unknown name (misconfiguration, never silently the outbox). */
export const emailTransportName = (env: ServiceEnv): EmailTransportName | null => {
  const name = (env.EMAIL_TRANSPORT ?? "outbox").trim()
  return name === "outbox" || name === "send_email" || name === "http" ? name : null
}

const misconfigured = (transport: EmailTransportName | null, what: string) =>
  Layer.succeed(EmailSender)({
    transport: transport ?? "outbox",
    send: () => Effect.fail(new Unavailable({ service: serviceName, reason: `email transport misconfigured: ${what}` }))
  })

/** The sender for this worker's configuration. */
export const emailSenderLayer = (env: ServiceEnv): Layer.Layer<EmailSender> => {
  const transport = emailTransportName(env)
  const from = env.EMAIL_FROM?.trim() || DEFAULT_FROM
  switch (transport) {
    case "outbox":
      return outboxSenderLayer(env.DB)
    case "send_email":
      return env.SEND_EMAIL === undefined ? misconfigured(transport, "SEND_EMAIL binding missing") : sendEmailBindingLayer(env.SEND_EMAIL, from)
    case "http":
      return env.EMAIL_HTTP_URL === undefined || env.EMAIL_HTTP_API_KEY === undefined
        ? misconfigured(transport, "EMAIL_HTTP_URL / EMAIL_HTTP_API_KEY missing")
        : httpSenderLayer({ url: env.EMAIL_HTTP_URL, apiKey: env.EMAIL_HTTP_API_KEY, from, fetch: (r) => fetch(r) })
    case null:
      return misconfigured(null, `unknown EMAIL_TRANSPORT ${JSON.stringify(env.EMAIL_TRANSPORT)}`)
  }
}

/** Provides the configured `EmailSender` to a program (the entrypoint's per-method wrapper). */
export const withEmailSender = (env: ServiceEnv) => <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.provide(program, emailSenderLayer(env))
