/**
 * Initial access tokens at rest (RFC 7591 §3, DESIGN §2 KV table): KV
 * `INITIAL_ACCESS_TOKENS`, key `iat:<hex SHA-256 of the token>`, value and key
 * metadata the token's `InitialAccessTokenInfo` JSON (the metadata makes the
 * admin listing one KV `list`), absolute expiration = the token's expiry, so
 * KV forgets it by itself. The token is 32 random bytes (base64url): a plain
 * SHA-256 is enough for such a secret, and the hash is its id.
 *
 * KV is neither atomic nor read-after-write across locations, so what must be
 * — single use and revocation — is a row in D1 `initial_access_token_marks`
 * (initial_access_token_redeem.ts, initial_access_tokens.ts).
 */
import { InitialAccessTokenInfo, Unavailable } from "@authrim/contracts"
import { randomBase64url, sha256Hex } from "@authrim/platform"
import { Effect, Option, Schema } from "effect"
import { serviceName } from "../identity_bindings.ts"
import { RegistrationKv } from "./registration_bindings.ts"

/** KV key prefix of the tokens. */
export const INITIAL_ACCESS_TOKEN_PREFIX = "iat:"

const InfoJson = Schema.fromJsonString(InitialAccessTokenInfo)
const decodeInfo = Schema.decodeUnknownOption(InfoJson)
const decodeInfoValue = Schema.decodeUnknownOption(InitialAccessTokenInfo)
const encodeInfo = Schema.encodeSync(InfoJson)

const kvFailure = (operation: string) => (cause: unknown) =>
  new Unavailable({ service: serviceName, reason: `KV INITIAL_ACCESS_TOKENS ${operation}: ${cause instanceof Error ? cause.message : String(cause)}` })

/** A new token: 32 random bytes, base64url (43 characters). */
export const newInitialAccessToken = (): string => randomBase64url(32)

/** The id (and KV key suffix) of a token: its hex SHA-256. */
export const initialAccessTokenId = (token: string): Effect.Effect<string> => sha256Hex(token)

/** Stores `info` until its expiry. */
export const putInitialAccessToken = Effect.fnUntraced(function*(info: InitialAccessTokenInfo) {
  const { initialAccessTokens } = yield* RegistrationKv
  const json = encodeInfo(info)
  yield* Effect.tryPromise({
    try: () => initialAccessTokens.put(INITIAL_ACCESS_TOKEN_PREFIX + info.id, json, { expiration: Math.floor(info.expiresAt / 1000), metadata: JSON.parse(json) }),
    catch: kvFailure("put")
  })
})

/** The stored info of token id `id`, or null (never stored, expired in KV, or deleted). */
export const readInitialAccessToken = Effect.fnUntraced(function*(id: string) {
  const { initialAccessTokens } = yield* RegistrationKv
  const raw = yield* Effect.tryPromise({ try: () => initialAccessTokens.get(INITIAL_ACCESS_TOKEN_PREFIX + id), catch: kvFailure("get") })
  if (raw === null) return null
  const info = decodeInfo(raw)
  return Option.isSome(info) ? info.value : null
})

/** Removes token `id` from KV (its D1 mark, where there is one, is what makes that immediate). */
export const deleteInitialAccessToken = Effect.fnUntraced(function*(id: string) {
  const { initialAccessTokens } = yield* RegistrationKv
  yield* Effect.tryPromise({ try: () => initialAccessTokens.delete(INITIAL_ACCESS_TOKEN_PREFIX + id), catch: kvFailure("delete") })
})

/** Every token KV still lists (from the keys' metadata; at most 1,000 per page, all pages read). */
export const listStoredInitialAccessTokens = Effect.fnUntraced(function*() {
  const { initialAccessTokens } = yield* RegistrationKv
  const infos: Array<InitialAccessTokenInfo> = []
  let cursor: string | undefined
  for (let page = 0; page < 100; page++) {
    const listed: KVNamespaceListResult<unknown, string> = yield* Effect.tryPromise({
      try: () => initialAccessTokens.list({ prefix: INITIAL_ACCESS_TOKEN_PREFIX, ...(cursor === undefined ? {} : { cursor }) }),
      catch: kvFailure("list")
    })
    for (const key of listed.keys) {
      const info = decodeInfoValue(key.metadata)
      if (Option.isSome(info)) infos.push(info.value)
    }
    if (listed.list_complete) break
    cursor = listed.cursor
  }
  return infos
})
