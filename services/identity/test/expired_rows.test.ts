/** The daily purge of expired identity rows (issue 11 §3), run through the worker's real cron handler. */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { purgeExpiredRows } from "../src/expired_rows.ts"

const now = Date.UTC(2026, 11, 3, 2, 0, 0)
const count = async (table: string) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n

describe("expired-row purge", () => {
  it("deletes expired reset and email-change tokens (used or not) and old outbox mail, and keeps the live ones", async () => {
    await env.DB.prepare("INSERT INTO users (id, email, created_at, updated_at) VALUES ('purge-user', 'p@example.com', 0, 0)").run()
    const statements = [
      ...Array.from({ length: 2_500 }, (_, i) =>
        env.DB.prepare("INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, used_at, created_at) VALUES (?, 'purge-user', ?, ?, 0)")
          .bind(`expired-${i}`, now - 1 - i, i % 2 === 0 ? now - 5_000_000 : null)),
      env.DB.prepare("INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, created_at) VALUES ('live', 'purge-user', ?, 0)").bind(now + 60_000),
      env.DB.prepare("INSERT INTO email_change_tokens (token_hash, user_id, new_email, expires_at, created_at) VALUES ('old', 'purge-user', 'n@example.com', ?, 0)").bind(now - 1),
      env.DB.prepare("INSERT INTO email_change_tokens (token_hash, user_id, new_email, expires_at, created_at) VALUES ('new', 'purge-user', 'n@example.com', ?, 0)").bind(now + 1),
      env.DB.prepare("INSERT INTO email_outbox (id, to_address, subject, text_body, created_at) VALUES ('stale', 'a@example.com', 's', 't', ?)").bind(now - 2 * 86_400_000),
      env.DB.prepare("INSERT INTO email_outbox (id, to_address, subject, text_body, created_at) VALUES ('fresh', 'a@example.com', 's', 't', ?)").bind(now - 1_000)
    ]
    for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500))

    const ctx = createExecutionContext()
    worker.scheduled(createScheduledController({ scheduledTime: now, cron: "0 2 * * *" }), env, ctx)
    await waitOnExecutionContext(ctx)

    expect(await env.DB.prepare("SELECT token_hash FROM password_reset_tokens").all()).toMatchObject({ results: [{ token_hash: "live" }] })
    expect(await env.DB.prepare("SELECT token_hash FROM email_change_tokens").all()).toMatchObject({ results: [{ token_hash: "new" }] })
    expect(await env.DB.prepare("SELECT id FROM email_outbox").all()).toMatchObject({ results: [{ id: "fresh" }] })
    // a second run finds nothing to do
    expect(await Effect.runPromise(purgeExpiredRows(env.DB, now))).toEqual({ password_reset_tokens: 0, email_change_tokens: 0, initial_access_token_marks: 0, email_outbox: 0 })
    expect(await count("password_reset_tokens")).toBe(1)
  })
})
