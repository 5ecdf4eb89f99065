/**
 * `countActiveSessions` (contracts/src/session_stats.ts): one `COUNT(*)` over D1 `sessions`
 * by its expiry index (`sessions_expiry`). Every session is written through to that table
 * when it starts and deleted when it ends, so the count is exact up to the alarm's purge of
 * expired rows, which the `expires_at > now` bound already excludes. Reads one index entry per
 * live session: at the design's 10 M MAU (≈ 2.5 M live sessions) a dashboard load reads ≈ 2.5 M
 * rows (D1 bills $0.001 per million) — fine for an operator's page, never for a user's request.
 */
import { tryD1 } from "@authrim/contracts"
import { Clock, Context, Effect, Layer } from "effect"
import type { SessionEnv } from "./env.ts"

export class SessionCountDatabase extends Context.Service<SessionCountDatabase, D1Database>()("authrim-session/SessionCountDatabase") {}

export const sessionCountLayer = (env: SessionEnv): Layer.Layer<SessionCountDatabase> => Layer.succeed(SessionCountDatabase)(env.DB)

export const countActiveSessions = Effect.fnUntraced(function*(_input: {}) {
  const db = yield* SessionCountDatabase
  const at = yield* Clock.currentTimeMillis
  const row = yield* tryD1("session", "sessions.countActive", () =>
    db.prepare("SELECT COUNT(*) AS active FROM sessions WHERE expires_at > ?1").bind(at).first<{ active: number }>())
  return { active: row?.active ?? 0, at }
})
