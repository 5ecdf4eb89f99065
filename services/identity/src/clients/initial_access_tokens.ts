/**
 * The admin side of initial access tokens (RFC 7591 §3): create (the token
 * answered once, only its hash kept), list (live tokens, from KV), revoke
 * (a D1 mark, in force at once everywhere, then the KV entry is dropped).
 * Creation and revocation are audited as `admin.action`.
 */
import {
  INITIAL_ACCESS_TOKEN_DEFAULT_TTL_SECONDS,
  INITIAL_ACCESS_TOKEN_MAX_TTL_SECONDS,
  INITIAL_ACCESS_TOKEN_MIN_TTL_SECONDS,
  NotFound,
  OAuthError,
  tryD1,
  type InitialAccessTokenInfo,
  type RegistrationPolicy
} from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import {
  deleteInitialAccessToken,
  initialAccessTokenId,
  listStoredInitialAccessTokens,
  newInitialAccessToken,
  putInitialAccessToken,
  readInitialAccessToken
} from "./initial_access_token_store.ts"
import { auditInitialAccessTokenAction } from "./registration_audit.ts"

const invalidRequest = (description: string) => new OAuthError({ code: "invalid_request", description })

/** KV key metadata is at most 1024 bytes: the info must fit (it is what the listing reads). */
const MAX_INFO_BYTES = 1000

/** Creates a token: `{ token, info }`, the token in plaintext this once. */
export const createInitialAccessToken = Effect.fnUntraced(function*(input: {
  readonly adminUserId: string | null
  readonly description?: string | undefined
  readonly expiresInSeconds?: number | undefined
  readonly singleUse?: boolean | undefined
  readonly policy?: RegistrationPolicy | undefined
}) {
  const ttl = input.expiresInSeconds ?? INITIAL_ACCESS_TOKEN_DEFAULT_TTL_SECONDS
  if (!Number.isInteger(ttl) || ttl < INITIAL_ACCESS_TOKEN_MIN_TTL_SECONDS || ttl > INITIAL_ACCESS_TOKEN_MAX_TTL_SECONDS) {
    return yield* invalidRequest(`expiresInSeconds must be an integer between ${INITIAL_ACCESS_TOKEN_MIN_TTL_SECONDS} and ${INITIAL_ACCESS_TOKEN_MAX_TTL_SECONDS} (7 days)`)
  }
  const token = newInitialAccessToken()
  const now = yield* Clock.currentTimeMillis
  const info: InitialAccessTokenInfo = {
    id: yield* initialAccessTokenId(token),
    description: (input.description ?? "").slice(0, 200),
    createdAt: now,
    expiresAt: now + ttl * 1000,
    singleUse: input.singleUse ?? false,
    policy: input.policy ?? {},
    createdBy: input.adminUserId
  }
  if (new TextEncoder().encode(JSON.stringify(info)).byteLength > MAX_INFO_BYTES) return yield* invalidRequest("description and policy are too long")
  yield* putInitialAccessToken(info)
  yield* auditInitialAccessTokenAction({
    action: "initial_access_token.created", adminUserId: input.adminUserId, tokenId: info.id,
    details: { single_use: info.singleUse, expires_at: info.expiresAt }
  })
  return { token, info }
})

/** The tokens still usable: listed by KV, not expired, and not marked used or revoked in D1; newest first. */
export const listInitialAccessTokens = Effect.fnUntraced(function*(_input: { readonly adminUserId: string | null }) {
  const { db } = yield* IdentityBindings
  const now = yield* Clock.currentTimeMillis
  const live = (yield* listStoredInitialAccessTokens()).filter((info) => info.expiresAt > now)
  if (live.length === 0) return { tokens: [] }
  const spent = new Set<string>()
  // One query per 100 ids (D1 binds at most 100 parameters).
  for (let i = 0; i < live.length; i += 100) {
    const ids = live.slice(i, i + 100).map((info) => info.id)
    const rows = yield* tryD1(serviceName, "initial_access_token_marks.byIds", () =>
      db.prepare(`SELECT token_id FROM initial_access_token_marks WHERE token_id IN (${ids.map(() => "?").join(", ")})`).bind(...ids).all<{ token_id: string }>())
    for (const row of rows.results) spent.add(row.token_id)
  }
  return { tokens: live.filter((info) => !spent.has(info.id)).sort((a, b) => b.createdAt - a.createdAt) }
})

/**
 * Revokes token `id`: the D1 mark first (`revoked`, or kept `used` when a registration already spent
 * it), so no registration anywhere accepts it from now on, then the KV entry. `NotFound` when KV does
 * not know the id (never existed, or expired).
 */
export const revokeInitialAccessToken = Effect.fnUntraced(function*(input: { readonly adminUserId: string | null; readonly id: string }) {
  const { db } = yield* IdentityBindings
  if (!/^[0-9a-f]{64}$/.test(input.id)) return yield* new NotFound({ what: "initial access token" })
  const info = yield* readInitialAccessToken(input.id)
  if (info === null) return yield* new NotFound({ what: "initial access token" })
  const now = yield* Clock.currentTimeMillis
  yield* tryD1(serviceName, "initial_access_token_marks.revoke", () =>
    db.prepare("INSERT INTO initial_access_token_marks (token_id, state, client_id, marked_at, expires_at) VALUES (?, 'revoked', NULL, ?, ?) ON CONFLICT (token_id) DO NOTHING")
      .bind(info.id, now, info.expiresAt).run())
  yield* deleteInitialAccessToken(info.id)
  yield* auditInitialAccessTokenAction({ action: "initial_access_token.revoked", adminUserId: input.adminUserId, tokenId: info.id })
  return {}
})
