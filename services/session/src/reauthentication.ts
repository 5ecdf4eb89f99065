/**
 * Step-up: a fresh authentication recorded on an existing session
 * (`SessionReauthContract.recordReauthentication`). The session keeps its id,
 * cookie, expiry and recorded RPs; `authTime`, `amr` and `acr` become the new
 * authentication's.
 *
 * The D1 write is an UPDATE of the existing, unexpired row of that user only
 * — never an insert — so a session revoked while this call was in flight
 * (row deleted) is not brought back. Memory is updated after D1, and only
 * when no revoke tombstoned the id meanwhile.
 */
import { NotFound, type Session, tryD1, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { sessionDataJson } from "./cold_sessions.ts"
import { getSession, type ShardState } from "./shard_operations.ts"
import type { StoredSession } from "./stored_session.ts"

const notFound = new NotFound({ what: "session" })

/** The re-authentication's facts. */
export interface Reauthentication {
  readonly sessionId: string
  readonly userId: string
  readonly authTime: number
  readonly amr: ReadonlyArray<string>
  readonly acr: string | null
}

/** Records `input` on its live session; `NotFound` when the session is gone or another user's. */
export const recordReauthentication = Effect.fnUntraced(function*(state: ShardState, input: Reauthentication): Effect.fn.Return<Session, NotFound | Unavailable> {
  // Loads (and promotes) the live session: revoked, expired and unknown ids stop here.
  yield* getSession(state, input.sessionId)
  const current = state.hot.get(input.sessionId)
  if (current === undefined || current.session.userId !== input.userId) return yield* notFound
  const updated: StoredSession = {
    secretHash: current.secretHash,
    session: { ...current.session, authTime: input.authTime, amr: [...input.amr], acr: input.acr }
  }
  const result = yield* tryD1("session", "sessions.reauthenticate", () =>
    state.db.prepare("UPDATE sessions SET data = ?1 WHERE id = ?2 AND user_id = ?3 AND expires_at > ?4")
      .bind(sessionDataJson(updated), input.sessionId, input.userId, state.now())
      .run())
  if (result.meta.changes === 0 || state.revoked.has(input.sessionId)) return yield* notFound
  state.hot.put(updated)
  return updated.session
})
