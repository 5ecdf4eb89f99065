/**
 * Using an initial access token at registration (RFC 7591 §3). `findToken`
 * reads KV (the token must exist and not have expired by the service's
 * clock). `spendToken` is the atomic part, in D1: a single-use token is
 * taken by ONE `INSERT … ON CONFLICT DO NOTHING` of a `used` mark — of any
 * number of concurrent registrations exactly one inserts it — and a
 * multi-use token is refused once a `revoked` mark exists. `releaseToken`
 * undoes a `used` mark when the client could not be written after all.
 * Every refusal is `invalid_token` (RFC 6750 §3.1): the caller learns
 * nothing about which check failed.
 */
import { tryD1, type InitialAccessTokenInfo } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { initialAccessTokenId, readInitialAccessToken } from "./initial_access_token_store.ts"
import { invalidToken } from "./registration_access_token.ts"

const refused = () => invalidToken("the initial access token is not valid")

/** The live token `token` names, or `invalid_token`. */
export const findToken = Effect.fnUntraced(function*(token: string) {
  if (token.length < 20 || token.length > 200) return yield* refused()
  const info = yield* readInitialAccessToken(yield* initialAccessTokenId(token))
  if (info === null || info.expiresAt <= (yield* Clock.currentTimeMillis)) return yield* refused()
  return info
})

/** Spends `info` for `clientId` (single use: atomically, once), or `invalid_token` when used or revoked. */
export const spendToken = Effect.fnUntraced(function*(info: InitialAccessTokenInfo, clientId: string) {
  const { db } = yield* IdentityBindings
  if (!info.singleUse) {
    const mark = yield* tryD1(serviceName, "initial_access_token_marks.byId", () =>
      db.prepare("SELECT state FROM initial_access_token_marks WHERE token_id = ?").bind(info.id).first<{ state: string }>())
    if (mark !== null) return yield* refused()
    return
  }
  const now = yield* Clock.currentTimeMillis
  const taken = yield* tryD1(serviceName, "initial_access_token_marks.use", () =>
    db.prepare("INSERT INTO initial_access_token_marks (token_id, state, client_id, marked_at, expires_at) VALUES (?, 'used', ?, ?, ?) ON CONFLICT (token_id) DO NOTHING")
      .bind(info.id, clientId, now, info.expiresAt).run())
  if (taken.meta.changes === 1) return
  // A retried insert (tryD1 retries transient failures) finds its own mark: still ours.
  const mark = yield* tryD1(serviceName, "initial_access_token_marks.byId", () =>
    db.prepare("SELECT state, client_id FROM initial_access_token_marks WHERE token_id = ?").bind(info.id).first<{ state: string; client_id: string | null }>())
  if (mark === null || mark.state !== "used" || mark.client_id !== clientId) return yield* refused()
})

/** Gives a single-use token back after its registration failed (only the mark this registration made). */
export const releaseToken = Effect.fnUntraced(function*(info: InitialAccessTokenInfo, clientId: string) {
  if (!info.singleUse) return
  const { db } = yield* IdentityBindings
  yield* tryD1(serviceName, "initial_access_token_marks.release", () =>
    db.prepare("DELETE FROM initial_access_token_marks WHERE token_id = ? AND state = 'used' AND client_id = ?").bind(info.id, clientId).run())
})
