/**
 * Reading the development outbox (D1 `email_outbox`). Only while the
 * transport IS the outbox (which only `AUTHRIM_ENV=development` allows): with
 * a real transport configured the method answers `NotFound`, so production
 * never exposes stored links. Messages older than 24 h are purged first, so
 * they are never shown even when nothing was sent for a day.
 */
import { NotFound, tryD1, type OutboxMessage } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { emailSender, purgeOutboxStatement } from "./email_sender.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

/** Default and largest page of messages. */
const DEFAULT_LIMIT = 20
const MAX_LIMIT = 100

interface OutboxRow {
  id: string
  to_address: string
  subject: string
  text_body: string
  html_body: string | null
  created_at: number
}

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: row.id,
  to: row.to_address,
  subject: row.subject,
  text: row.text_body,
  html: row.html_body,
  createdAt: row.created_at
})

/** Newest first; `to` null lists every address. */
export const readOutbox = Effect.fnUntraced(function*(input: { readonly to: string | null; readonly limit?: number | undefined }) {
  const sender = yield* emailSender
  if (sender.transport !== "outbox") return yield* new NotFound({ what: "outbox (EMAIL_TRANSPORT is not outbox)" })
  const { db } = yield* IdentityBindings
  const now = yield* Clock.currentTimeMillis
  yield* tryD1(serviceName, "email_outbox.purge", () => purgeOutboxStatement(db, now).run())
  const requested = input.limit ?? DEFAULT_LIMIT
  const limit = Number.isInteger(requested) ? Math.min(Math.max(requested, 1), MAX_LIMIT) : DEFAULT_LIMIT
  const to = input.to?.trim() ?? null
  const { results } = yield* tryD1(serviceName, "email_outbox.read", () =>
    (to === null
      ? db.prepare("SELECT * FROM email_outbox ORDER BY created_at DESC, rowid DESC LIMIT ?").bind(limit)
      : db.prepare("SELECT * FROM email_outbox WHERE to_address = ? COLLATE NOCASE ORDER BY created_at DESC, rowid DESC LIMIT ?").bind(to, limit)
    ).all<OutboxRow>())
  return { messages: results.map(toMessage) }
})
