/**
 * `EmailSender`: the one way the identity service sends email, with one layer
 * per transport, chosen by the `EMAIL_TRANSPORT` var (see `email_transport.ts`):
 *
 * - `outbox` (local development and tests only, `AUTHRIM_ENV=development`;
 *   production refuses it): the message is stored in D1 `email_outbox` for 24 h,
 *   where tests, `readOutbox` and the edge's `/dev/outbox` page read it.
 *   Nothing leaves the machine.
 * - `send_email`: Cloudflare's `send_email` binding (`SEND_EMAIL`), builder form.
 * - `http`: a JSON email API (`EMAIL_HTTP_URL`, bearer `EMAIL_HTTP_API_KEY`),
 *   body `{from, to, subject, text, html}` — the shape of Resend/Postmark-style APIs.
 *
 * A send that fails is `Unavailable`: the caller's request fails rather than
 * pretending a link went out.
 */
import { tryD1, Unavailable } from "@authrim/contracts"
import { Clock, Context, Effect, type Layer } from "effect"
import { configuredValueLayer, type Configured } from "../configured_setting.ts"
import { serviceName } from "../identity_bindings.ts"

/** One outgoing message (plain text always; HTML optional). */
export interface EmailMessage {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html: string | null
}

/** Which transport a sender uses. */
export type EmailTransportName = "outbox" | "send_email" | "http"

/** A transport's way of sending. */
export interface EmailSenderShape {
  readonly transport: EmailTransportName
  readonly send: (message: EmailMessage) => Effect.Effect<void, Unavailable>
}

/** This worker's sender, or the `Misconfigured` naming the email setting missing or refused (see configured_setting.ts). */
export class EmailSender extends Context.Service<EmailSender, Configured<EmailSenderShape>>()("@authrim/identity/EmailSender") {}

/**
 * The sender; every program that mails reads it first, so a misconfigured
 * transport fails before anything is written and whether the address is known.
 */
export const emailSender = EmailSender.use((sender) => sender)

const unavailable = (transport: string) => (cause: unknown) =>
  new Unavailable({ service: serviceName, reason: `email ${transport}: ${cause instanceof Error ? cause.message : String(cause)}` })

/** How long the development outbox keeps a message: links in it expire sooner (15 min, 1 h), and nothing in it should outlive a day. */
export const OUTBOX_RETENTION_MS = 24 * 60 * 60 * 1000

/** Deletes the outbox messages older than {@link OUTBOX_RETENTION_MS} (index `email_outbox_created`). */
export const purgeOutboxStatement = (db: D1Database, now: number): D1PreparedStatement =>
  db.prepare("DELETE FROM email_outbox WHERE created_at < ?").bind(now - OUTBOX_RETENTION_MS)

/**
 * Development outbox in D1 `email_outbox`: each write also purges the messages
 * older than 24 h (one batch, one round trip). Idempotent (a fresh id, insert
 * or nothing; the purge is idempotent too), so the D1 retry policy may replay it.
 */
export const outboxSender = (db: D1Database): EmailSenderShape => ({
  transport: "outbox",
  send: Effect.fnUntraced(function*(message: EmailMessage) {
    const now = yield* Clock.currentTimeMillis
    const id = crypto.randomUUID()
    yield* tryD1(serviceName, "email_outbox.insert", () =>
      db.batch([
        purgeOutboxStatement(db, now),
        db.prepare(
          `INSERT INTO email_outbox (id, to_address, subject, text_body, html_body, created_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`
        ).bind(id, message.to, message.subject, message.text, message.html, now)
      ]))
  })
})

/** The outbox sender as a layer (tests). */
export const outboxSenderLayer = (db: D1Database): Layer.Layer<EmailSender> => configuredValueLayer(EmailSender, outboxSender(db))

/** Cloudflare `send_email` binding; `from` must be a verified sender of the zone. */
export const sendEmailBindingSender = (binding: SendEmail, from: string): EmailSenderShape => ({
  transport: "send_email",
  send: (message) =>
    Effect.tryPromise({
      try: () =>
        binding.send({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html === null ? {} : { html: message.html })
        }),
      catch: unavailable("send_email")
    }).pipe(Effect.asVoid)
})

/** Settings of the HTTP email API transport. `fetch` is injectable so tests can stand in for the provider. */
export interface HttpEmailSettings {
  readonly url: string
  readonly apiKey: string
  readonly from: string
  readonly fetch: (request: Request) => Promise<Response>
}

/** JSON email API: `POST url` with `Authorization: Bearer apiKey`; any non-2xx answer is `Unavailable`. */
export const httpSender = (settings: HttpEmailSettings): EmailSenderShape => ({
  transport: "http",
  send: Effect.fnUntraced(function*(message: EmailMessage) {
    const request = new Request(settings.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${settings.apiKey}` },
      body: JSON.stringify({ from: settings.from, to: message.to, subject: message.subject, text: message.text, html: message.html ?? undefined })
    })
    const response = yield* Effect.tryPromise({ try: () => settings.fetch(request), catch: unavailable("http") })
    // Drain the body so the connection is released, whatever the status.
    yield* Effect.tryPromise({ try: () => response.arrayBuffer(), catch: unavailable("http") })
    if (!response.ok) return yield* unavailable("http")(`provider answered ${response.status}`)
  })
})

/** The HTTP sender as a layer (tests). */
export const httpSenderLayer = (settings: HttpEmailSettings): Layer.Layer<EmailSender> => configuredValueLayer(EmailSender, httpSender(settings))
