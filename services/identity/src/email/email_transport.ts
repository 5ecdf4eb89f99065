/**
 * Picks the `EmailSender` layer from the worker's configuration:
 *
 * | var | meaning | default |
 * |---|---|---|
 * | `EMAIL_TRANSPORT` | `outbox` \| `send_email` \| `http` | none: required; `outbox` only with `AUTHRIM_ENV=development` |
 * | `EMAIL_FROM` | sender address of every message | none: required by `send_email` and `http` |
 * | `SEND_EMAIL` | `send_email` binding (transport `send_email`) | — |
 * | `EMAIL_HTTP_URL`, `EMAIL_HTTP_API_KEY` (secret) | the HTTP API (transport `http`) | — |
 *
 * Nothing falls back to the outbox: it keeps live sign-in and reset links
 * readable (`readOutbox`, the edge's `/dev/outbox`), which in production is an
 * account takeover. So production refuses it, and an unset, unknown or
 * incomplete transport is a configuration error (`Misconfigured` naming the
 * setting) for every program that needs the sender — before any mail is
 * composed, so known and unknown addresses get the same answer.
 */
import { isDevelopment, misconfigured, requiredSetting, type Misconfigured } from "@authrim/contracts"
import { Effect, type Layer } from "effect"
import { configuredLayer } from "../configured_setting.ts"
import { EmailSender, emailSender, httpSender, outboxSender, sendEmailBindingSender, type EmailTransportName } from "./email_sender.ts"
import type { ServiceEnv } from "../env.ts"
import { serviceName } from "../identity_bindings.ts"

const transports: ReadonlyArray<EmailTransportName> = ["outbox", "send_email", "http"]

/** The configured transport's name, or `Misconfigured`: unset, unknown, or `outbox` outside development. */
export const emailTransportName = (env: ServiceEnv): Effect.Effect<EmailTransportName, Misconfigured> =>
  requiredSetting(serviceName, "EMAIL_TRANSPORT", env.EMAIL_TRANSPORT).pipe(
    Effect.flatMap((name) => {
      const transport = transports.find((t) => t === name)
      if (transport === undefined) {
        return Effect.fail(misconfigured(serviceName, "EMAIL_TRANSPORT", `is ${JSON.stringify(name)}, not one of ${transports.join(", ")}`))
      }
      if (transport === "outbox" && !isDevelopment(env)) {
        return Effect.fail(misconfigured(serviceName, "EMAIL_TRANSPORT", "is outbox, which production refuses"))
      }
      return Effect.succeed(transport)
    })
  )

/** The sender of this worker's configuration, or `Misconfigured` when it is incomplete or refused. */
const senderOf = Effect.fnUntraced(function*(env: ServiceEnv) {
  const transport = yield* emailTransportName(env)
  if (transport === "outbox") return outboxSender(env.DB)
  const from = yield* requiredSetting(serviceName, "EMAIL_FROM", env.EMAIL_FROM)
  if (transport === "send_email") {
    if (env.SEND_EMAIL === undefined) return yield* Effect.fail(misconfigured(serviceName, "SEND_EMAIL", "binding is missing"))
    return sendEmailBindingSender(env.SEND_EMAIL, from)
  }
  const url = yield* requiredSetting(serviceName, "EMAIL_HTTP_URL", env.EMAIL_HTTP_URL)
  const apiKey = yield* requiredSetting(serviceName, "EMAIL_HTTP_API_KEY", env.EMAIL_HTTP_API_KEY)
  return httpSender({ url, apiKey, from, fetch: (r) => fetch(r) })
})

/** `EmailSender` from the worker's configuration; decided once per isolate, it never fails the layer (see configured_setting.ts). */
export const emailSenderLayer = (env: ServiceEnv): Layer.Layer<EmailSender> => configuredLayer(EmailSender, senderOf(env))

/** Succeeds when this worker's email configuration is complete and allowed here; else `Misconfigured` naming the setting. */
export const checkEmailDelivery = Effect.asVoid(emailSender)
